package org.clinical.projections.readmodel;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.clinical.infra.tenant.Tenant;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a projection's position stands for reads: reached positions, and the settled end of the stream. */
class ProjectionPositionsTest {

    private final Tenant tenant = new Tenant("north-general", "North General", "default", Instant.EPOCH);
    private final ProjectionPositions positions = new ProjectionPositions(null, null);

    @Test
    void without_gaps_the_stream_is_settled_up_to_the_position() {
        positions.advance(tenant, "audit", GapAwareTrackingToken.newInstance(41, Set.of()));

        assertThat(positions.settled(tenant, "audit")).isEqualTo(41);
        assertThat(positions.reached(tenant, List.of("audit"), 41)).isTrue();
    }

    @Test
    void a_gap_that_may_still_commit_late_ends_the_settled_stream_just_before_it() {
        positions.advance(tenant, "audit", GapAwareTrackingToken.newInstance(41, Set.of(37L, 39L)));

        assertThat(positions.settled(tenant, "audit")).isEqualTo(36);
        assertThat(positions.reached(tenant, List.of("audit"), 38)).isTrue();
        assertThat(positions.reached(tenant, List.of("audit"), 39)).isFalse();
    }
}
