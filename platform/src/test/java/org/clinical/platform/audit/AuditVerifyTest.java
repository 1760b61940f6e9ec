package org.clinical.platform.audit;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.infra.tenant.ActiveTenants;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.clinical.platform.support.TestDatabase;
import org.clinical.platform.support.Tokens;
import org.clinical.projections.audit.AuditSealer;
import org.clinical.projections.audit.AuditVerification;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /audit/verify} over HTTP (issue 9 item 4, docs/operations.md "Audit: tamper evidence"): a superuser
 * who gets past the append-only triggers to edit, delete or insert a stored event is found, at that event's
 * position.
 */
class AuditVerifyTest extends PlatformTest {

    private static final String AUDITOR = Tokens.token("auditor-aud", List.of("auditor"), List.of("*"));

    @Autowired
    private AuditSealer sealer;
    @Autowired
    private ActiveTenants tenants;

    @Test
    void an_intact_store_is_valid_and_every_event_checked() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        newEncounter(tenant, patient, newFacility(tenant, "MAIN"), "AMB");
        seal(tenant);

        JsonNode report = verify(tenant);
        assertThat(report.get("valid").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.get("checkedEvents").asLong()).isEqualTo(eventCount(tenant));
        assertThat(report.get("firstBrokenPosition").isNull()).isTrue();
        assertThat(report.get("breaks")).isEmpty();
        assertThat(report.get("signaturesChecked").asBoolean()).isTrue();
        assertThat(report.at("/lastCheckpoint/upperPosition").asLong()).isEqualTo(head(tenant));
        assertThat(report.at("/lastCheckpoint/signed").asBoolean()).isTrue();
        assertThat(report.at("/lastCheckpoint/digest").asText()).hasSize(64);
    }

    @Test
    void an_event_edited_as_superuser_is_reported_at_its_position() throws SQLException {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-EDIT");
        newPatient(tenant, "MRN-OTHER");
        seal(tenant);
        long edited = queryLong("select global_index from " + schema(tenant) + ".domain_event_entry"
                + " where aggregate_identifier = ?", patient);

        superuser("update " + schema(tenant) + ".domain_event_entry set payload = convert_to(replace("
                + "convert_from(payload, 'UTF8'), 'MRN-EDIT', 'MRN-TIDE'), 'UTF8') where global_index = " + edited);

        JsonNode report = verify(tenant);
        assertThat(report.get("valid").asBoolean()).isFalse();
        assertThat(report.get("firstBrokenPosition").asLong()).isEqualTo(edited);
        assertThat(report.at("/breaks/0/kind").asText()).isEqualTo("ALTERED");
        assertThat(report.get("breakCount").asLong()).isEqualTo(1);
        assertThat(report.get("checkedEvents").asLong()).isEqualTo(eventCount(tenant));
    }

    @Test
    void the_newest_event_deleted_after_it_was_sealed_is_noticed() throws SQLException {
        String tenant = newTenant();
        newPatient(tenant, "MRN-1");
        newPatient(tenant, "MRN-2");
        seal(tenant);
        long newest = head(tenant);

        superuser("delete from " + schema(tenant) + ".domain_event_entry where global_index = " + newest);

        JsonNode report = verify(tenant);
        assertThat(report.get("valid").asBoolean()).isFalse();
        assertThat(report.get("firstBrokenPosition").asLong()).isEqualTo(newest);
        assertThat(report.at("/breaks/0/kind").asText()).isEqualTo("DELETED");
        assertThat(report.get("checkedEvents").asLong()).isEqualTo(eventCount(tenant));
    }

    @Test
    void an_event_inserted_into_a_sealed_position_is_reported_at_its_position() throws SQLException {
        String tenant = newTenant();
        newPatient(tenant, "MRN-1");
        long hole;
        try (Connection c = TestDatabase.connect()) {
            c.setAutoCommit(false);
            hole = copyOfNewest(c, tenant);        // takes a position and rolls back: a hole
            c.rollback();
        }
        newPatient(tenant, "MRN-2");
        seal(tenant);
        superuser("update " + schema(tenant) + ".audit_checkpoint_hole set since = since - interval '2 hours'"
                + " where position = " + hole);    // an hour later: no late commit can fill it any more

        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement()) {
            st.executeUpdate("insert into " + schema(tenant) + ".domain_event_entry (global_index, event_identifier,"
                    + " aggregate_identifier, sequence_number, type, time_stamp, payload_type, payload_revision,"
                    + " payload, meta_data) select " + hole + ", gen_random_uuid()::text, gen_random_uuid()::text, 0,"
                    + " type, time_stamp, payload_type, payload_revision, payload, meta_data from " + schema(tenant)
                    + ".domain_event_entry order by global_index desc limit 1");
        }

        JsonNode report = verify(tenant);
        assertThat(report.get("valid").asBoolean()).isFalse();
        assertThat(report.get("firstBrokenPosition").asLong()).isEqualTo(hole);
        assertThat(report.at("/breaks/0/kind").asText()).isEqualTo("INSERTED");
    }

    @Test
    void a_second_verification_of_a_tenant_while_one_runs_is_refused_with_409() throws SQLException {
        String tenant = newTenant();
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement()) {
            String lock = AuditVerification.LOCK_CLASS + ", hashtext('" + schema(tenant) + "')";
            st.execute("select pg_advisory_lock(" + lock + ")");
            assertProblem(api.get("/api/v1/" + tenant + "/audit/verify").token(AUDITOR).send(), 409);
            // Released here, not by closing: the server ends a closed session's backend (and its locks) a moment
            // after the client has gone on.
            st.execute("select pg_advisory_unlock(" + lock + ")");
        }
        assertThat(api.get("/api/v1/" + tenant + "/audit/verify").token(AUDITOR).send().status()).isEqualTo(200);
    }

    private JsonNode verify(String tenant) {
        Api.Response response = api.get("/api/v1/" + tenant + "/audit/verify").token(AUDITOR).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.body();
    }

    private void seal(String tenant) {
        sealer.seal(tenants.require(tenant));
        assertThat(queryLong("select coalesce(max(upper_position), 0) from " + schema(tenant) + ".audit_checkpoint"))
                .as("sealed up to the newest event").isEqualTo(head(tenant));
    }

    private static long head(String tenant) {
        return queryLong("select max(global_index) from " + schema(tenant) + ".domain_event_entry");
    }

    /** As superuser, past the append-only triggers, in a transaction of its own. */
    private static void superuser(String sql) throws SQLException {
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("set local session_replication_role = replica");
            assertThat(st.executeUpdate(sql)).as(sql).isPositive();
            c.commit();
        }
    }

    private static long copyOfNewest(Connection c, String tenant) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("insert into " + schema(tenant)
                + ".domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, time_stamp,"
                + " payload_type, payload_revision, payload, meta_data) select gen_random_uuid()::text,"
                + " gen_random_uuid()::text, 0, type, time_stamp, payload_type, payload_revision, payload, meta_data"
                + " from " + schema(tenant) + ".domain_event_entry order by global_index desc limit 1"
                + " returning global_index")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
