package org.clinical.platform.audit;

import org.clinical.infra.config.ClinicalProperties;
import org.clinical.infra.region.Regions;
import org.clinical.platform.support.PlatformTest;
import org.clinical.platform.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Stored events are append-only in the database itself (issue 9 item 3, docs/operations.md "Append-only events"):
 * the platform's own connections cannot update, delete or truncate {@code domain_event_entry}, whatever they
 * connect as, while they still append events and keep snapshots and tokens writable. A role with only the rights
 * production gives the platform is refused by its grants before any trigger runs.
 */
class AppendOnlyEventsTest extends PlatformTest {

    @Autowired
    private Regions regions;

    @Test
    void the_platforms_own_pool_cannot_update_delete_or_truncate_stored_events() {
        String tenant = newTenant();
        newPatient(tenant, "MRN-A");
        String events = schema(tenant) + ".domain_event_entry";
        JdbcTemplate jdbc = regions.region(ClinicalProperties.DEFAULT_REGION).jdbc();
        long count = eventCount(tenant);
        String before = fingerprint(events);

        assertRefused(jdbc, "update " + events + " set payload_revision = '9'", "UPDATE");
        assertRefused(jdbc, "delete from " + events + " where sequence_number = 0", "DELETE");
        assertRefused(jdbc, "truncate " + events, "TRUNCATE");

        assertThat(fingerprint(events)).isEqualTo(before);
        newPatient(tenant, "MRN-B");
        assertThat(eventCount(tenant)).as("commands still append").isEqualTo(count + 1);
    }

    @Test
    void snapshots_and_tokens_stay_writable_through_the_platforms_own_pool() {
        String tenant = newTenant();
        String schema = schema(tenant);
        JdbcTemplate jdbc = regions.region(ClinicalProperties.DEFAULT_REGION).jdbc();

        jdbc.update("insert into " + schema + ".snapshot_event_entry (aggregate_identifier, sequence_number, type,"
                + " event_identifier, time_stamp, payload_type, payload) values ('append-only-test', 0, 'Patient',"
                + " gen_random_uuid()::text, '2025-03-01T08:15:00.000000Z', 'PatientSnapshot', '\\x7b7d')");
        assertThat(jdbc.update("update " + schema + ".snapshot_event_entry set sequence_number = 1"
                + " where aggregate_identifier = 'append-only-test'")).isEqualTo(1);
        assertThat(jdbc.update("delete from " + schema + ".snapshot_event_entry"
                + " where aggregate_identifier = 'append-only-test'")).isEqualTo(1);

        jdbc.update("insert into " + schema + ".token_entry (processor_name, segment) values ('append-only-test', 0)");
        assertThat(jdbc.update("update " + schema + ".token_entry set owner = 'me'"
                + " where processor_name = 'append-only-test'")).isEqualTo(1);
        assertThat(jdbc.update("delete from " + schema + ".token_entry"
                + " where processor_name = 'append-only-test'")).isEqualTo(1);
    }

    @Test
    void a_role_with_the_documented_rights_appends_and_reads_but_its_grants_refuse_every_change()
            throws SQLException {
        String tenant = newTenant();
        String schema = schema(tenant);
        String events = schema + ".domain_event_entry";
        String role = "clinical_appendonly_" + tenant.replace('-', '_');
        String before = fingerprint(events);
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement()) {
            st.execute("create role " + role + " nologin");
            st.execute("grant usage on schema " + schema + " to " + role);
            st.execute("grant select, insert on " + events + " to " + role);
            st.execute("grant usage on sequence " + events + "_global_index_seq to " + role);
            try {
                c.setAutoCommit(false);
                st.execute("set local role " + role);
                assertThat(st.executeUpdate("insert into " + events + " (event_identifier, aggregate_identifier,"
                        + " sequence_number, type, time_stamp, payload_type, payload_revision, payload, meta_data)"
                        + " select gen_random_uuid()::text, gen_random_uuid()::text, 0, type, time_stamp,"
                        + " payload_type, payload_revision, payload, meta_data from " + events + " limit 1"))
                        .isEqualTo(1);
                c.rollback();
                for (String change : new String[]{"update " + events + " set payload_revision = '9'",
                        "delete from " + events, "truncate " + events}) {
                    st.execute("set local role " + role);
                    SQLException refused = catchThrowableOfType(st, change);
                    assertThat(refused.getSQLState()).as(change).isEqualTo("42501");
                    assertThat(refused.getMessage()).as(change).contains("permission denied");
                    c.rollback();
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
                st.execute("drop owned by " + role);
                st.execute("drop role " + role);
            }
        }
        assertThat(fingerprint(events)).isEqualTo(before);
        assertThat(queryLong("select count(*) from pg_roles r where rolname like 'clinical\\_analyst\\_%'"
                + " and (has_table_privilege(r.oid, ?, 'UPDATE') or has_table_privilege(r.oid, ?, 'DELETE')"
                + " or has_table_privilege(r.oid, ?, 'TRUNCATE'))", events, events, events))
                .as("no analyst role may change events").isZero();
    }

    private static void assertRefused(JdbcTemplate jdbc, String sql, String operation) {
        Throwable refused = catchThrowable(() -> jdbc.execute(sql));
        assertThat(refused).as(sql).isNotNull();
        SQLException cause = sqlCause(refused);
        assertThat(cause.getSQLState()).as(sql).isEqualTo("42501");
        assertThat(cause.getMessage()).as(sql).contains("stored events are append-only: " + operation);
    }

    private static SQLException catchThrowableOfType(Statement st, String sql) {
        Throwable thrown = catchThrowable(() -> st.execute(sql));
        assertThat(thrown).as(sql).isInstanceOf(SQLException.class);
        return (SQLException) thrown;
    }

    private static SQLException sqlCause(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        throw new AssertionError("no SQLException in " + error, error);
    }

    /** Every stored event of the table, hashed in stream order. */
    private static String fingerprint(String events) {
        return queryString("select md5(string_agg(e::text, ',' order by global_index)) from " + events + " e");
    }
}
