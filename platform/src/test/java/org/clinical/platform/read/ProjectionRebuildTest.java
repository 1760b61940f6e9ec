package org.clinical.platform.read;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.clinical.platform.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rebuilding a projection replays the tenant's events into a fresh generation of its tables while the live one
 * keeps answering, then switches: the rebuilt read model is identical, row for row, to the live one.
 */
class ProjectionRebuildTest extends PlatformTest {

    @Test
    void a_rebuild_of_every_projection_gives_identical_read_models_and_new_events_reach_them() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "MAIN");
        for (int i = 0; i < 12; i++) {
            String patient = newPatient(tenant, "MRN-" + i);
            String encounter = newEncounter(tenant, patient, facility, "AMB");
            api.post("/api/v1/" + tenant + "/observations").token(CLINICIAN)
                    .json(heartRate(patient, encounter, 60 + i)).send();
        }
        List<String> names = projectionNames(tenant);
        awaitCaughtUp(tenant);
        Map<String, Map<String, String>> before = new TreeMap<>();
        names.forEach(name -> before.put(name, snapshot(liveSchema(tenant, name))));

        for (String name : names) {
            Api.Response started = api.post("/api/v1/" + tenant + "/projections/" + name + "/rebuild").token(ADMIN)
                    .send();
            assertThat(started.status()).as(started.toString()).isEqualTo(202);
            assertThat(started.body().get("generation").asInt()).isEqualTo(2);
        }
        awaitRebuilt(tenant);

        for (String name : names) {
            assertThat(liveSchema(tenant, name)).endsWith("_2");
            assertThat(snapshot(liveSchema(tenant, name))).as("read model %s after its rebuild", name)
                    .isEqualTo(before.get(name));
        }
        long position = api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN).json(patientBody("MRN-AFTER"))
                .send().position();
        awaitCaughtUp(tenant);
        assertThat(queryLong("select count(*) from " + liveSchema(tenant, "probe") + ".probe_patient where mrn = ?",
                "MRN-AFTER")).as("event at %d in the rebuilt generation", position).isEqualTo(1);
    }

    @Test
    void reads_keep_answering_while_a_projection_is_rebuilt() throws Exception {
        String tenant = newTenant();
        for (int i = 0; i < 30; i++) {
            newPatient(tenant, "MRN-" + i);
        }
        awaitCaughtUp(tenant);
        AtomicBoolean rebuilding = new AtomicBoolean(true);
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        Thread reader = Thread.ofPlatform().start(() -> {
            while (rebuilding.get()) {
                Api.Response list = api.get("/api/v1/" + tenant + "/projections").token(ADMIN).send();
                long rows = queryLong("select count(*) from " + liveSchema(tenant, "probe") + ".probe_patient");
                if (list.status() != 200 || rows != 30) {
                    failures.incrementAndGet();
                }
                reads.incrementAndGet();
            }
        });
        assertThat(api.post("/api/v1/" + tenant + "/projections/probe/rebuild").token(ADMIN).send().status())
                .isEqualTo(202);
        awaitRebuilt(tenant);
        rebuilding.set(false);
        reader.join();
        assertThat(reads.get()).isPositive();
        assertThat(failures.get()).isZero();
    }

    @Test
    void the_projection_list_shows_position_head_and_lag() {
        String tenant = newTenant();
        long position = api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN).json(patientBody("MRN-1"))
                .send().position();
        awaitCaughtUp(tenant);
        JsonNode probe = projection(tenant, "probe");
        assertThat(probe.get("position").asLong()).isEqualTo(position);
        assertThat(probe.get("head").asLong()).isEqualTo(position);
        assertThat(probe.get("lag").asLong()).isZero();
        assertThat(probe.get("rebuilding").asBoolean()).isFalse();
        assertThat(probe.get("progress").isNull()).isTrue();
    }

    @Test
    void rebuild_refusals_unknown_projection_non_admin_and_unknown_tenant() {
        String tenant = newTenant();
        assertThat(api.post("/api/v1/" + tenant + "/projections/nosuch/rebuild").token(ADMIN).send().status())
                .isEqualTo(404);
        Api.Response byClinician = api.post("/api/v1/" + tenant + "/projections/probe/rebuild").token(CLINICIAN)
                .send();
        assertThat(byClinician.status()).isEqualTo(403);
        assertThat(byClinician.contentType()).startsWith("application/problem+json");
        assertThat(api.get("/api/v1/" + tenant + "/projections").token(ANALYST).send().status()).isEqualTo(403);
        assertThat(api.get("/api/v1/tnosuchtenant/projections").token(ADMIN).send().status()).isEqualTo(404);
    }

    private List<String> projectionNames(String tenant) {
        List<String> names = new ArrayList<>();
        api.get("/api/v1/" + tenant + "/projections").token(ADMIN).send().body().get("items")
                .forEach(item -> names.add(item.get("name").asText()));
        assertThat(names).contains("probe");
        return names;
    }

    private JsonNode projection(String tenant, String name) {
        for (JsonNode item : api.get("/api/v1/" + tenant + "/projections").token(ADMIN).send().body().get("items")) {
            if (item.get("name").asText().equals(name)) {
                return item;
            }
        }
        throw new AssertionError("no projection " + name);
    }

    /** Waits, on the admin list, until every projection has committed the tenant's head. */
    private void awaitCaughtUp(String tenant) {
        awaitList(tenant, item -> item.get("lag").asLong() == 0 && item.get("position").asLong() == item.get("head")
                .asLong(), "caught up");
    }

    private void awaitRebuilt(String tenant) {
        awaitList(tenant, item -> !item.get("rebuilding").asBoolean(), "rebuilt");
    }

    private void awaitList(String tenant, java.util.function.Predicate<JsonNode> done, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            JsonNode items = api.get("/api/v1/" + tenant + "/projections").token(ADMIN).send().body().get("items");
            boolean all = true;
            for (JsonNode item : items) {
                all &= done.test(item);
            }
            if (all) {
                return;
            }
            assertThat(Instant.now()).as("projections of %s %s: %s", tenant, what, items).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    /** Every table of the schema, its rows as text in a stable order. */
    private static Map<String, String> snapshot(String schema) {
        Map<String, String> tables = new TreeMap<>();
        try (Connection c = TestDatabase.connect();
             var ps = c.prepareStatement("select table_name from information_schema.tables where table_schema = ?")) {
            ps.setString(1, schema);
            List<String> names = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            for (String table : names) {
                try (var st = c.createStatement(); ResultSet rs = st.executeQuery(
                        "select coalesce(string_agg(t::text, E'\\n' order by t::text), '') from " + schema + "."
                                + table + " t")) {
                    rs.next();
                    tables.put(table, rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThat(tables).as("tables of %s", schema).isNotEmpty();
        return tables;
    }
}
