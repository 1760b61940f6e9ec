package org.clinical.platform.read;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.clinical.platform.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * BI tools connect with the tenant's read-only role ({@code docs/analytics.md}): it selects from the analytics
 * views the platform ships in {@code a_<tenant>}, and nothing else: not the read models behind them, not the
 * tenant's event store or command-side tables, not the platform's tables, nothing of another tenant, no write.
 */
class AnalystRoleTest extends PlatformTest {

    /** The views docs/analytics.md documents, the only relations an analytics schema may hold. */
    private static final List<String> SHIPPED_VIEWS = List.of("census", "encounter_daily", "encounters",
            "facilities", "observation_daily_stats", "observations", "patients");

    @Test
    void the_analyst_role_reads_every_shipped_view_of_its_tenant() throws SQLException {
        String tenant = newTenant();
        Fixture fixture = fixture(tenant);
        assertThat(queryStrings("select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                + " where n.nspname = ? order by 1", analytics(tenant))).isEqualTo(SHIPPED_VIEWS);
        assertThat(queryStrings("select distinct c.relkind::text from pg_class c join pg_namespace n"
                + " on n.oid = c.relnamespace where n.nspname = ?", analytics(tenant))).containsExactly("v");

        asBiLogin(tenant, st -> {
            String a = analytics(tenant);
            assertThat(rows(st, "select patient_id, mrn, family, active from " + a + ".patients"))
                    .containsExactly(fixture.patient + "|MRN-V|Lovelace|t");
            assertThat(rows(st, "select encounter_id, encounter_class, location, status from " + a + ".encounters"))
                    .containsExactly(fixture.encounter + "|IMP|Ward 1|in-progress");
            assertThat(rows(st, "select day, facility_id, encounter_class, count from " + a + ".encounter_daily"))
                    .containsExactly("2025-03-01|" + fixture.facility + "|IMP|1");
            assertThat(rows(st, "select facility_id, location, open_encounters from " + a + ".census"))
                    .containsExactly(fixture.facility + "|Ward 1|1");
            assertThat(rows(st, "select facility_id, code, name, type, beds from " + a + ".facilities"))
                    .containsExactly(fixture.facility + "|MAIN|Facility MAIN|hospital|120");
            assertThat(rows(st, "select observation_id, status, value_num::int from " + a + ".observations"))
                    .containsExactlyInAnyOrder(fixture.amended + "|amended|81",
                            fixture.inError + "|entered-in-error|90");
            assertThat(rows(st, "select code, day, facility_id, count, sum::int, min::int, max::int, mean::int from "
                    + a + ".observation_daily_stats"))
                    .containsExactly("8867-4|2025-03-01|" + fixture.facility + "|1|81|81|81|81");
        });
    }

    @Test
    void the_analyst_role_reads_no_table_nothing_of_another_tenant_and_writes_nothing() throws SQLException {
        String tenant = newTenant();
        String other = newTenant();
        fixture(tenant);
        fixture(other);
        List<String> forbidden = queryStrings("select n.nspname || '.' || c.relname from pg_class c"
                + " join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('r', 'p', 'v', 'm', 'f')"
                + " and (n.nspname in (?, ?, ?, 'clinical_platform') or n.nspname like ? or n.nspname like ?)"
                + " order by 1", schema(tenant), schema(other), analytics(other), readModels(tenant),
                readModels(other));
        assertThat(forbidden).contains(schema(tenant) + ".domain_event_entry", schema(tenant) + ".patient_registry",
                schema(tenant) + ".token_entry", liveSchema(tenant, "patients") + ".patient",
                liveSchema(tenant, "observations") + ".observation", liveSchema(tenant, "encounters") + ".census",
                liveSchema(tenant, "facilities") + ".facility",
                analytics(other) + ".patients", liveSchema(other, "patients") + ".patient",
                "clinical_platform.tenant");

        asBiLogin(tenant, st -> {
            for (String relation : forbidden) {
                assertDenied(st, "select * from " + relation + " limit 1");
            }
            String a = analytics(tenant);
            assertDenied(st, "update " + a + ".patients set mrn = 'X'");
            assertDenied(st, "delete from " + a + ".observations");
            assertDenied(st, "insert into " + a + ".encounters (encounter_id) values (gen_random_uuid())");
            assertDenied(st, "create table " + a + ".mine (i int)");
            assertDenied(st, "create table public.mine (i int)");
            assertDenied(st, "create schema mine");
            assertDenied(st, "set role " + role(other));
            assertDenied(st, "set role " + TestDatabase.USER);
        });
        assertThat(queryStrings("select concat_ws(',', rolcanlogin, rolsuper, rolcreaterole, rolcreatedb,"
                + " rolbypassrls) from pg_roles where rolname = ?", role(tenant)))
                .as("the role logs in only through a login role an operator grants it")
                .containsExactly("f,f,f,f,f");
    }

    @Test
    void the_views_follow_a_rebuild_to_the_new_generation() throws SQLException {
        String tenant = newTenant();
        Fixture fixture = fixture(tenant);
        Api.Response started = api.post("/api/v1/" + tenant + "/projections/patients/rebuild").token(ADMIN).send();
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        awaitLiveGeneration(tenant, "patients", 2);
        assertThat(queryString("select pg_get_viewdef(?::regclass)", analytics(tenant) + ".patients"))
                .contains("r_" + tenant + "__patients_2.").doesNotContain("__patients_1.");

        Api.Response after = registerPatient(tenant, "MRN-AFTER");
        assertThat(after.status()).as(after.toString()).isEqualTo(201);
        awaitRead("/api/v1/" + tenant + "/patients?mrn=MRN-AFTER", after.position());
        asBiLogin(tenant, st -> {
            assertThat(rows(st, "select mrn from " + analytics(tenant) + ".patients order by mrn"))
                    .containsExactly("MRN-AFTER", "MRN-V");
            assertThat(rows(st, "select patient_id from " + analytics(tenant) + ".patients where mrn = 'MRN-V'"))
                    .containsExactly(fixture.patient);
        });
    }

    /** What a BI tool runs, on a connection of its own. */
    @FunctionalInterface
    private interface BiQueries {
        void run(Statement st) throws SQLException;
    }

    /**
     * Connects as a BI tool would (docs/analytics.md): a login role of an operator's, granted the tenant's analyst
     * role and nothing else. The login role belongs to the cluster: it is dropped again afterwards.
     */
    private static void asBiLogin(String tenant, BiQueries queries) throws SQLException {
        String login = "clinical_bi_" + tenant;
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement()) {
            st.execute("create role " + login + " login");
            st.execute("grant " + role(tenant) + " to " + login);
        }
        try {
            try (Connection c = DriverManager.getConnection(TestDatabase.URL, login, null);
                 Statement st = c.createStatement()) {
                assertThat(rows(st, "select current_user, session_user")).containsExactly(login + "|" + login);
                queries.run(st);
            }
        } finally {
            try (Connection c = TestDatabase.connect(); Statement st = c.createStatement()) {
                st.execute("drop role " + login);
            }
        }
    }

    private record Fixture(String facility, String patient, String encounter, String amended, String inError) {
    }

    /**
     * A facility (MAIN), a patient with an open IMP encounter in Ward 1 from 2025-03-01, an amended heart rate (81)
     * and one entered in error (90); answers once every read model holds them.
     */
    private Fixture fixture(String tenant) {
        String facility = newFacility(tenant, "MAIN");
        String patient = newPatient(tenant, "MRN-V");
        String encounter = newEncounter(tenant, patient, facility, "IMP");
        String amended = observation(tenant, heartRate(patient, encounter, 80));
        String inError = observation(tenant, heartRate(patient, encounter, 90));
        command("/api/v1/" + tenant + "/observations/" + amended + "/amend",
                "{\"value\": {\"quantity\": {\"value\": 81, \"unit\": \"/min\"}}, \"reason\": \"typo\"}");
        long position = command("/api/v1/" + tenant + "/observations/" + inError + "/entered-in-error",
                "{\"reason\": \"wrong patient\"}");
        // the summary reads the patients, encounters and observations read models
        awaitRead("/api/v1/" + tenant + "/patients/" + patient, position);
        awaitRead("/api/v1/" + tenant + "/facilities", position);
        return new Fixture(facility, patient, encounter, amended, inError);
    }

    private String observation(String tenant, String json) {
        Api.Response recorded = api.post("/api/v1/" + tenant + "/observations").token(CLINICIAN).json(json).send();
        assertThat(recorded.status()).as(recorded.toString()).isEqualTo(201);
        return recorded.body().get("observationId").asText();
    }

    private long command(String path, String json) {
        Api.Response response = api.post(path).token(CLINICIAN).json(json).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.position();
    }

    private void awaitRead(String path, long position) {
        Api.Response read = AtPosition.get(api, path, CLINICIAN, position);
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
    }

    private void awaitLiveGeneration(String tenant, String projection, int generation) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            JsonNode items = api.get("/api/v1/" + tenant + "/projections").token(ADMIN).send().body().get("items");
            for (JsonNode item : items) {
                if (item.get("name").asText().equals(projection) && item.get("generation").asInt() == generation
                        && !item.get("rebuilding").asBoolean()) {
                    return;
                }
            }
            assertThat(Instant.now()).as("%s of %s at generation %d: %s", projection, tenant, generation, items)
                    .isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    /** Every row of the query, its columns joined by '|'. */
    private static List<String> rows(Statement st, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(rs.getString(i));
                }
                rows.add(String.join("|", values));
            }
        }
        return rows;
    }

    private static void assertDenied(Statement st, String sql) {
        try {
            st.execute(sql);
        } catch (SQLException e) {
            assertThat(e.getSQLState()).as(sql + ": " + e.getMessage()).isEqualTo("42501");
            return;
        }
        throw new AssertionError("allowed: " + sql);
    }

    private static String role(String tenant) {
        return "clinical_analyst_" + tenant;
    }

    private static String analytics(String tenant) {
        return "a_" + tenant;
    }

    /** A LIKE pattern for every generation of every read model of the tenant. */
    private static String readModels(String tenant) {
        return "r\\_" + tenant + "\\_\\_%";
    }
}
