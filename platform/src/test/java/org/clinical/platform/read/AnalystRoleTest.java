package org.clinical.platform.read;

import org.clinical.platform.support.PlatformTest;
import org.clinical.platform.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** BI tools connect with the tenant's read-only role: its analytics views, and nothing else. */
class AnalystRoleTest extends PlatformTest {

    @Test
    void the_analyst_role_reads_its_tenants_views_and_nothing_else() throws SQLException {
        String tenant = newTenant();
        String other = newTenant();
        long position = api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN).json(patientBody("MRN-V"))
                .send().position();
        awaitProbe(tenant, position);
        String role = "clinical_analyst_" + tenant;
        try (Connection c = TestDatabase.connect(); var st = c.createStatement()) {
            st.execute("set role " + role);
            try (ResultSet rs = st.executeQuery("select mrn from a_" + tenant + ".probe_patients")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("MRN-V");
            }
            assertDenied(st, "select * from " + liveSchema(tenant, "probe") + ".probe_patient");
            assertDenied(st, "select * from " + schema(tenant) + ".domain_event_entry");
            assertDenied(st, "select * from a_" + other + ".probe_patients");
            assertDenied(st, "insert into " + schema(tenant) + ".patient_registry (patient_id) values (gen_random_uuid())");
        }
    }

    @Test
    void the_views_follow_a_rebuild_to_the_new_generation() throws SQLException {
        String tenant = newTenant();
        long position = api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN).json(patientBody("MRN-R"))
                .send().position();
        awaitProbe(tenant, position);
        assertThat(api.post("/api/v1/" + tenant + "/projections/probe/rebuild").token(ADMIN).send().status())
                .isEqualTo(202);
        awaitGeneration(tenant, 2);
        assertThat(queryString("select pg_get_viewdef('a_" + tenant + ".probe_patients'::regclass)"))
                .contains("r_" + tenant + "__probe_2.");
        try (Connection c = TestDatabase.connect(); var st = c.createStatement()) {
            st.execute("set role clinical_analyst_" + tenant);
            try (ResultSet rs = st.executeQuery("select count(*) from a_" + tenant + ".probe_patients")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
            }
        }
    }

    private static void assertDenied(java.sql.Statement st, String sql) {
        assertThatThrownBy(() -> st.executeQuery(sql)).as(sql).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
    }

    private void awaitProbe(String tenant, long position) {
        awaitUntil(() -> queryLong("select count(*) from " + schema(tenant) + ".token_entry where processor_name ="
                + " 'probe' and (convert_from(token, 'UTF8')::jsonb->>'index')::bigint >= ?", position) == 1);
    }

    private void awaitGeneration(String tenant, long generation) {
        awaitUntil(() -> queryLong("select count(*) from " + schema(tenant) + ".projection_generation"
                + " where name = 'probe' and live = ? and building is null", generation) == 1);
    }

    private static void awaitUntil(java.util.function.BooleanSupplier done) {
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
        while (!done.getAsBoolean()) {
            assertThat(java.time.Instant.now()).isBefore(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
    }
}
