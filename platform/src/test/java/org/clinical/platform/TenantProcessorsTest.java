package org.clinical.platform;

import org.clinical.platform.probe.ProbeProjection;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every processing group runs per tenant: it reads the tenant's events, keeps its token in the tenant's own
 * schema (committed with its rows), starts for a tenant created at runtime, and retries a failing event
 * instead of skipping it. Waits on the processor's token position, never on time alone.
 */
class TenantProcessorsTest extends PlatformTest {

    @Test
    void a_projection_follows_each_tenant_in_the_tenant_own_schema() {
        String first = newTenant();
        String second = newTenant();
        long firstPosition = register(first, "MRN-A");
        long secondPosition = register(second, "MRN-B");

        awaitProbeAt(first, firstPosition);
        awaitProbeAt(second, secondPosition);

        assertThat(queryLong("select count(*) from " + probe(first) + ".probe_patient where mrn = 'MRN-A'"))
                .isEqualTo(1);
        assertThat(queryLong("select count(*) from " + probe(first) + ".probe_patient where mrn = 'MRN-B'"))
                .isZero();
        assertThat(queryLong("select count(*) from " + probe(second) + ".probe_patient")).isEqualTo(1);
        assertThat(queryLong("select count(*) from " + schema(first) + ".token_entry where processor_name = ?",
                ProbeProjection.NAME)).isEqualTo(1);
    }

    @Test
    void a_failing_event_is_retried_and_never_skipped() {
        String tenant = newTenant();
        String mrn = ProbeProjection.FAIL_ONCE + "-" + tenant;
        long failing = register(tenant, mrn);
        long after = register(tenant, "MRN-AFTER");

        awaitProbeAt(tenant, after);

        assertThat(ProbeProjection.DELIVERIES.get(mrn)).as("deliveries of the registration that failed once")
                .hasValueGreaterThanOrEqualTo(2);
        assertThat(queryLong("select position from " + probe(tenant) + ".probe_patient where mrn = ?", mrn))
                .isEqualTo(failing);
        assertThat(queryLong("select count(*) from " + probe(tenant) + ".probe_patient")).isEqualTo(2);
    }

    private long register(String tenant, String mrn) {
        Api.Response created = api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN)
                .json(patientBody(mrn)).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.position();
    }

    private static String probe(String tenant) {
        return liveSchema(tenant, ProbeProjection.NAME);
    }

    /** Polls the processor's committed token until it reaches the position (at most 30 s). */
    private static void awaitProbeAt(String tenant, long position) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        String sql = "select coalesce(max((convert_from(token, 'UTF8')::jsonb->>'index')::bigint), -1) from "
                + schema(tenant) + ".token_entry where processor_name = '" + ProbeProjection.NAME + "'";
        while (queryLong(sql) < position) {
            assertThat(Instant.now()).as("probe of %s reaching position %d", tenant, position).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }
}
