package org.clinical.projections.facility;

import org.clinical.events.facility.FacilityEvent.FacilityRegistered;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.facility.FacilityType;
import org.clinical.projections.facility.FacilityQueries.Facility;
import org.clinical.projections.support.ProjectionHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The facility list as the query side reads it, from rows the facilities projection wrote. */
class FacilityQueriesTest {

    private static final Instant REGISTERED = Instant.parse("2025-03-01T08:15:00Z");

    private ProjectionHarness facilities;

    @BeforeEach
    void start() {
        facilities = ProjectionHarness.start(FacilityProjection.READ_MODEL, FacilityProjection::new);
    }

    @AfterEach
    void stop() {
        facilities.close();
    }

    @Test
    void a_facility_reads_back_with_every_field_of_its_registration() {
        FacilityRegistered lab = registered("LAB-1", FacilityType.LAB, null, 0);
        FacilityRegistered ward = registered("GEN", FacilityType.HOSPITAL, 250, 1);
        facilities.apply(lab, ward);

        assertThat(FacilityQueries.byCode(facilities.read(), null, 10)).containsExactly(
                facility(ward), facility(lab));
    }

    @Test
    void pages_follow_the_codes_in_order_and_a_walk_sees_each_facility_once() {
        List<FacilityRegistered> registered = new ArrayList<>();
        for (String code : List.of("W-07", "A-1", "W-10", "ICU", "B", "W-01", "ER")) {
            registered.add(registered(code, FacilityType.CLINIC, 10, registered.size()));
        }
        facilities.apply(registered.toArray(FacilityRegistered[]::new));
        List<Facility> expected = registered.stream().map(FacilityQueriesTest::facility)
                .sorted(Comparator.comparing(Facility::code)).toList();

        List<Facility> walked = new ArrayList<>();
        String after = null;
        List<Facility> page;
        do {
            page = FacilityQueries.byCode(facilities.read(), after, 3);
            walked.addAll(page);
            after = page.isEmpty() ? after : page.get(page.size() - 1).code();
        } while (page.size() == 3);

        assertThat(walked).containsExactlyElementsOf(expected);
        assertThat(FacilityQueries.byCode(facilities.read(), expected.get(2).code(), 2))
                .containsExactlyElementsOf(expected.subList(3, 5));
        assertThat(FacilityQueries.byCode(facilities.read(), expected.get(expected.size() - 1).code(), 3)).isEmpty();
    }

    @Test
    void a_tenant_without_facilities_lists_none() {
        assertThat(FacilityQueries.byCode(facilities.read(), null, 100)).isEmpty();
    }

    private static FacilityRegistered registered(String code, FacilityType type, Integer beds, int minutes) {
        return new FacilityRegistered(new FacilityId(UUID.randomUUID()), code, "Facility " + code, type, beds,
                REGISTERED.plusSeconds(60L * minutes));
    }

    private static Facility facility(FacilityRegistered event) {
        return new Facility(event.facilityId().value(), event.code(), event.name(),
                event.type().name().toLowerCase(Locale.ROOT), event.beds(), event.registeredAt());
    }
}
