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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rebuilding a projection (POST .../projections/{name}/rebuild) replays the tenant's events into a fresh generation
 * of its tables while the live one keeps answering, then switches: the rebuilt read model is identical, row for
 * row, to the live one, reads over HTTP answer the same all along, and events written meanwhile are in it.
 */
class ProjectionRebuildTest extends PlatformTest {

    /** The projections behind the patient, encounter, observation and facility reads. */
    private static final List<String> SERVED = List.of("encounters", "facilities", "observations", "patients");
    private static final int PATIENTS = 20;
    /** Observations recorded before the rebuild, a batch of 1,000 at a time: enough for a rebuild to take a while. */
    private static final int BULK_BATCHES = 5;

    @Test
    void a_rebuild_of_every_projection_gives_identical_read_models_and_new_events_reach_them() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "MAIN");
        List<String> patients = new ArrayList<>();
        List<String> encounters = new ArrayList<>();
        List<String> observations = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            patients.add(newPatient(tenant, "MRN-" + i));
            encounters.add(newEncounter(tenant, patients.get(i), facility, "AMB"));
            observations.add(recorded(api.post("/api/v1/" + tenant + "/observations").token(CLINICIAN)
                    .json(heartRate(patients.get(i), encounters.get(i), 60 + i)).send()));
        }
        everyKindOfChange(tenant, patients, encounters, observations);
        List<String> names = projectionNames(tenant);
        assertThat(names).containsAll(SERVED).contains("probe");
        awaitProjectionsCaughtUp(tenant);
        Map<String, Map<String, String>> before = new TreeMap<>();
        names.forEach(name -> before.put(name, snapshot(liveSchema(tenant, name))));

        for (String name : names) {
            Api.Response started = rebuild(tenant, name);
            assertThat(started.status()).as(started.toString()).isEqualTo(202);
            assertThat(started.body().get("name").asText()).isEqualTo(name);
            assertThat(started.body().get("rebuilding").asBoolean()).isTrue();
            assertThat(started.body().get("generation").asInt()).isEqualTo(2);
            assertThat(started.header("Location")).isEqualTo("/api/v1/" + tenant + "/projections");
        }
        awaitProjections(tenant, item -> !item.get("rebuilding").asBoolean(), "rebuilt");

        for (String name : names) {
            assertThat(projection(tenant, name).get("generation").asInt()).as(name).isEqualTo(2);
            assertThat(liveSchema(tenant, name)).endsWith("_2");
            assertThat(snapshot(liveSchema(tenant, name))).as("read model %s after its rebuild", name)
                    .isEqualTo(before.get(name));
        }
        newEventsAreRead(tenant, facility);
    }

    @Test
    void during_a_rebuild_reads_answer_as_before_writes_are_read_progress_is_listed_and_a_second_rebuild_is_refused()
            throws Exception {
        String tenant = newTenant();
        String facility = newFacility(tenant, "MAIN");
        List<String> patients = new ArrayList<>();
        for (int i = 0; i < PATIENTS; i++) {
            String patient = api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN).json("""
                    {"mrn": "MRN-%d", "name": {"family": "Rebuildson", "given": ["Pat%d"]}, "birthDate": "1970-01-01",
                     "gender": "other"}""".formatted(i, i)).send().body().get("patientId").asText();
            patients.add(patient);
            newEncounter(tenant, patient, facility, i % 2 == 0 ? "AMB" : "EMER");
        }
        long position = bulkObservations(tenant, patients);
        awaitProjectionsCaughtUp(tenant);
        Map<String, JsonNode> expected = new LinkedHashMap<>();
        for (String path : readPaths(tenant, patients)) {
            expected.put(path, read(path, position).body());
        }
        assertThat(expected.get("/api/v1/" + tenant + "/census").toString()).contains(patients.get(PATIENTS - 1));
        assertThat(expected.get("/api/v1/" + tenant + "/patients?name=rebuildson&limit=100").get("items"))
                .hasSize(PATIENTS);

        Map<String, List<JsonNode>> statuses = new HashMap<>();
        Map<String, Long> roundsAtStart = new HashMap<>();
        AtomicInteger written = new AtomicInteger();
        try (Background background = new Background()) {
            List<String> paths = List.copyOf(expected.keySet());
            background.loop("reader-1", () -> readAll(paths.subList(0, paths.size() / 2), expected, position));
            background.loop("reader-2", () -> readAll(paths.subList(paths.size() / 2, paths.size()), expected,
                    position));
            background.loop("writer", () -> writeAndRead(tenant, written.incrementAndGet()));
            awaitRounds(background, List.of("reader-1", "reader-2", "writer"));

            List.of("reader-1", "reader-2", "writer").forEach(n -> roundsAtStart.put(n, background.rounds(n)));
            // the observations' replay takes longest: the second request comes while it is certainly running
            for (String name : List.of("observations", "encounters", "patients", "facilities")) {
                Api.Response started = rebuild(tenant, name);
                assertThat(started.status()).as(started.toString()).isEqualTo(202);
                if (name.equals("observations")) {
                    Api.Response again = rebuild(tenant, name);
                    assertProblem(again, 409);
                    assertThat(again.body().get("type").asText()).isEqualTo("urn:clinical:problem:rebuild-running");
                }
            }

            watchRebuilds(tenant, background, statuses);
            roundsAtStart.forEach((loop, rounds) -> assertThat(background.rounds(loop))
                    .as("rounds of %s while the projections were rebuilt", loop).isGreaterThan(rounds));
        }

        for (String name : SERVED) {
            List<JsonNode> seen = statuses.get(name);
            assertThat(seen).as("%s listed as rebuilding", name).isNotEmpty();
            for (JsonNode status : seen) {
                assertThat(status.get("generation").asInt()).as(status.toString()).isEqualTo(1);
                assertThat(status.get("building").asInt()).as(status.toString()).isEqualTo(2);
                assertThat(status.get("progress").isNumber()).as(status.toString()).isTrue();
                assertThat(status.get("progress").asDouble()).as(status.toString()).isBetween(0.0, 1.0);
            }
        }
        // The replay's position over a head that the writer keeps moving: it may step back a little, but it rises.
        List<Double> progress = statuses.get("observations").stream().map(s -> s.get("progress").asDouble()).toList();
        assertThat(progress).as("progress of the observations' replay").anyMatch(p -> p > 0 && p < 1);
        assertThat(progress.stream().mapToDouble(p -> p).max().orElseThrow()).as("progress %s", progress)
                .isGreaterThan(progress.get(0));
        awaitProjectionsCaughtUp(tenant);
        for (String name : SERVED) {
            JsonNode status = projection(tenant, name);
            assertThat(status.get("generation").asInt()).as(status.toString()).isEqualTo(2);
            assertThat(status.get("building").isNull()).as(status.toString()).isTrue();
            assertThat(status.get("progress").isNull()).as(status.toString()).isTrue();
        }
        readAll(List.copyOf(expected.keySet()), expected, position);
        assertThat(written.get()).isPositive();
    }

    @Test
    void the_projection_list_shows_position_head_and_lag() {
        String tenant = newTenant();
        long position = api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN).json(patientBody("MRN-1"))
                .send().position();
        awaitProjectionsCaughtUp(tenant);
        JsonNode items = api.get("/api/v1/" + tenant + "/projections").token(ADMIN).send().body().get("items");
        assertThat(items).extracting(item -> item.get("name").asText())
                .containsExactly("audit", "encounters", "facilities", "observations", "patients", "probe");
        for (JsonNode item : items) {
            assertThat(item.get("position").asLong()).as(item.toString()).isEqualTo(position);
            assertThat(item.get("head").asLong()).as(item.toString()).isEqualTo(position);
            assertThat(item.get("lag").asLong()).as(item.toString()).isZero();
            assertThat(item.get("rebuilding").asBoolean()).as(item.toString()).isFalse();
            assertThat(item.get("progress").isNull()).as(item.toString()).isTrue();
            assertThat(item.get("generation").asInt()).as(item.toString()).isEqualTo(1);
        }
    }

    @Test
    void rebuild_refusals_unknown_projection_non_admin_and_unknown_tenant() {
        String tenant = newTenant();
        assertProblem(rebuild(tenant, "nosuch"), 404);
        assertProblem(api.post("/api/v1/" + tenant + "/projections/probe/rebuild").token(CLINICIAN).send(), 403);
        assertProblem(api.get("/api/v1/" + tenant + "/projections").token(ANALYST).send(), 403);
        assertProblem(api.get("/api/v1/tnosuchtenant/projections").token(ADMIN).send(), 404);
        assertProblem(rebuild("tnosuchtenant", "patients"), 404);
        for (String name : projectionNames(tenant)) {
            assertThat(projection(tenant, name).get("generation").asInt()).as(name).isEqualTo(1);
            assertThat(liveSchema(tenant, name)).endsWith("_1");
        }
    }

    /** Transfers, a discharge, a cancellation, an amendment, an entry in error, a correction, a death, a merge. */
    private void everyKindOfChange(String tenant, List<String> patients, List<String> encounters,
                                   List<String> observations) {
        String encounters0 = "/api/v1/" + tenant + "/encounters/";
        ok(api.post(encounters0 + encounters.get(0) + "/transfer").token(CLINICIAN)
                .json("{\"location\": \"ICU\", \"at\": \"2025-03-01T10:00:00Z\"}").send());
        ok(api.post(encounters0 + encounters.get(1) + "/discharge").token(CLINICIAN)
                .json("{\"at\": \"2025-03-02T10:00:00Z\", \"disposition\": \"home\"}").send());
        ok(api.post(encounters0 + encounters.get(2) + "/cancel").token(CLINICIAN)
                .json("{\"reason\": \"wrong patient\"}").send());
        String observations0 = "/api/v1/" + tenant + "/observations/";
        ok(api.post(observations0 + observations.get(3) + "/amend").token(CLINICIAN).json("""
                {"value": {"quantity": {"value": 101, "unit": "/min"}}, "reason": "transcription error"}""").send());
        ok(api.post(observations0 + observations.get(4) + "/entered-in-error").token(CLINICIAN)
                .json("{\"reason\": \"wrong patient\"}").send());
        String patients0 = "/api/v1/" + tenant + "/patients/";
        ok(api.put(patients0 + patients.get(5) + "/demographics").token(CLINICIAN).json("""
                {"name": {"family": "Curie", "given": ["Marie"]}, "birthDate": "1967-11-07", "gender": "female"}""")
                .send());
        ok(api.post(patients0 + patients.get(6) + "/deceased").token(CLINICIAN)
                .json("{\"deceasedAt\": \"2025-01-02T03:04:05Z\"}").send());
        ok(api.post(patients0 + patients.get(7) + "/merge").token(CLINICIAN)
                .json("{\"survivorId\": \"" + patients.get(8) + "\"}").send());
    }

    /**
     * A facility, a patient, an encounter and a vital sign written after the rebuild show in every read that
     * serves them.
     */
    private void newEventsAreRead(String tenant, String facility) {
        String after = newFacility(tenant, "AFTER");
        String patient = newPatient(tenant, "MRN-AFTER");
        String encounter = newEncounter(tenant, patient, facility, "IMP");
        Api.Response recorded = api.post("/api/v1/" + tenant + "/observations").token(CLINICIAN)
                .json(heartRate(patient, encounter, 88)).send();
        long position = recorded.position();

        JsonNode summary = readRetrying("/api/v1/" + tenant + "/patients/" + patient, position);
        assertThat(summary.get("mrn").asText()).isEqualTo("MRN-AFTER");
        assertThat(summary.at("/openEncounter/encounterId").asText()).isEqualTo(encounter);
        assertThat(summary.at("/latestVitals/0/value/quantity/value").asInt()).isEqualTo(88);
        assertThat(readRetrying("/api/v1/" + tenant + "/patients?mrn=MRN-AFTER", position).at("/items/0/patientId")
                .asText()).isEqualTo(patient);
        assertThat(readRetrying("/api/v1/" + tenant + "/census", position).toString()).contains(encounter);
        assertThat(readRetrying("/api/v1/" + tenant + "/facilities", position).at("/items/0/facilityId").asText())
                .isEqualTo(after);
        assertThat(readRetrying("/api/v1/" + tenant + "/patients/" + patient + "/observations", position)
                .at("/items/0/observationId").asText()).isEqualTo(recorded(recorded));
        awaitProjectionsCaughtUp(tenant);
        assertThat(queryLong("select count(*) from " + liveSchema(tenant, "probe") + ".probe_patient where mrn = ?",
                "MRN-AFTER")).as("the probe's rebuilt generation").isEqualTo(1);
    }

    /** {@link #BULK_BATCHES} batches of 1,000 observations over the patients; answers the last position. */
    private long bulkObservations(String tenant, List<String> patients) {
        long position = -1;
        for (int b = 0; b < BULK_BATCHES; b++) {
            List<String> items = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int n = b * 1000 + i;
                boolean vital = n % 2 == 0;
                items.add("""
                        {"patientId": "%s", "code": {"system": "http://loinc.org", "code": "%s"}, "category": "%s",
                         "effectiveAt": "2025-02-%02dT%02d:%02d:00Z",
                         "value": {"quantity": {"value": %d, "unit": "%s"}}}"""
                        .formatted(patients.get(n % patients.size()), vital ? "8867-4" : "2345-7",
                                vital ? "vital-signs" : "laboratory", 1 + n % 28, n / 28 % 24, n / 672 % 60,
                                50 + n % 90, vital ? "/min" : "mg/dL"));
            }
            Api.Response batch = api.post("/api/v1/" + tenant + "/observations/batch").token(CLINICIAN)
                    .json("{\"observations\": [" + String.join(",", items) + "]}").send();
            assertThat(batch.status()).as(batch.toString()).isEqualTo(201);
            position = batch.position();
        }
        return position;
    }

    /** The reads the rebuilt projections serve, for a few of the patients. */
    private static List<String> readPaths(String tenant, List<String> patients) {
        String base = "/api/v1/" + tenant;
        List<String> paths = new ArrayList<>(List.of(base + "/patients?name=rebuildson&limit=100", base + "/census",
                base + "/facilities"));
        for (String patient : patients.subList(0, 3)) {
            paths.add(base + "/patients/" + patient);
            paths.add(base + "/patients/" + patient + "/observations?limit=50");
            paths.add(base + "/patients/" + patient + "/encounters");
            paths.add(base + "/patients/" + patient + "/vitals/latest");
        }
        return paths;
    }

    private void readAll(List<String> paths, Map<String, JsonNode> expected, long position) {
        for (String path : paths) {
            JsonNode body = read(path, position).body();
            if (!body.equals(expected.get(path))) {
                throw new AssertionError("GET " + path + " answered\n" + body + "\ninstead of\n" + expected.get(path));
            }
        }
    }

    /** Registers a patient and records a vital sign, then reads both back at the command's position. */
    private void writeAndRead(String tenant, int n) {
        String mrn = "W-" + n;
        Api.Response registered = api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN).json("""
                {"mrn": "%s", "name": {"family": "Writer", "given": ["W"]}, "birthDate": "1990-01-01",
                 "gender": "unknown"}""".formatted(mrn)).send();
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        String patient = registered.body().get("patientId").asText();
        Api.Response recorded = api.post("/api/v1/" + tenant + "/observations").token(CLINICIAN)
                .json(heartRate(patient, null, 60 + n % 40)).send();
        assertThat(recorded.status()).as(recorded.toString()).isEqualTo(201);
        JsonNode summary = readRetrying("/api/v1/" + tenant + "/patients/" + patient, recorded.position());
        assertThat(summary.get("mrn").asText()).as(summary.toString()).isEqualTo(mrn);
        assertThat(summary.at("/latestVitals/0/value/quantity/value").asInt()).as(summary.toString())
                .isEqualTo(60 + n % 40);
        JsonNode found = readRetrying("/api/v1/" + tenant + "/patients?mrn=" + mrn, recorded.position());
        assertThat(found.at("/items/0/patientId").asText()).as(found.toString()).isEqualTo(patient);
    }

    /** Reads at a command's position, waiting for the projections if need be; any answer but 200 fails. */
    private JsonNode readRetrying(String path, long position) {
        Api.Response response = AtPosition.get(api, path, CLINICIAN, position);
        assertThat(response.status()).as("GET %s: %s", path, response).isEqualTo(200);
        return response.body();
    }

    /** Reads at a position the projections have reached already: no 503, nothing but 200. */
    private Api.Response read(String path, long position) {
        Api.Response response = api.get(path).token(CLINICIAN).header("X-Min-Position", Long.toString(position))
                .send();
        assertThat(response.status()).as("GET %s: %s", path, response).isEqualTo(200);
        return response;
    }

    /** Polls the list until no projection is rebuilding, keeping each rebuilding projection's statuses. */
    private void watchRebuilds(String tenant, Background background, Map<String, List<JsonNode>> statuses) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (true) {
            background.assertNoFailure();
            boolean rebuilding = false;
            for (JsonNode item : projections(tenant)) {
                if (item.get("rebuilding").asBoolean()) {
                    rebuilding = true;
                    statuses.computeIfAbsent(item.get("name").asText(), n -> new ArrayList<>()).add(item);
                }
            }
            if (!rebuilding) {
                return;
            }
            assertThat(Instant.now()).as("rebuilds of %s finished", tenant).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    /** Waits until every loop has completed a round, so all of them run before the rebuilds start. */
    private static void awaitRounds(Background background, List<String> loops) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!loops.stream().allMatch(loop -> background.rounds(loop) > 0)) {
            background.assertNoFailure();
            assertThat(Instant.now()).as("a first round of %s", loops).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    private Api.Response rebuild(String tenant, String name) {
        return api.post("/api/v1/" + tenant + "/projections/" + name + "/rebuild").token(ADMIN).send();
    }

    private static String recorded(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.body().get("observationId").asText();
    }

    private static void ok(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    private JsonNode projections(String tenant) {
        Api.Response list = api.get("/api/v1/" + tenant + "/projections").token(ADMIN).send();
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        return list.body().get("items");
    }

    private List<String> projectionNames(String tenant) {
        List<String> names = new ArrayList<>();
        projections(tenant).forEach(item -> names.add(item.get("name").asText()));
        return names;
    }

    private JsonNode projection(String tenant, String name) {
        for (JsonNode item : projections(tenant)) {
            if (item.get("name").asText().equals(name)) {
                return item;
            }
        }
        throw new AssertionError("no projection " + name);
    }

    /** Waits, on the admin list, until every projection has committed the tenant's head. */
    /**
     * Every table of the schema, its rows as text in a stable order. In a rollup (a table with a {@code count}) a
     * row counting 0 is what no row is: the live projection keeps the rows an entry in error or a cancellation
     * brought down to 0, a replay that meets the record and its retraction in one batch never writes them.
     */
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
            Set<String> counted = new HashSet<>();
            try (var columns = c.prepareStatement("select table_name from information_schema.columns"
                    + " where table_schema = ? and column_name = 'count'")) {
                columns.setString(1, schema);
                try (ResultSet rs = columns.executeQuery()) {
                    while (rs.next()) {
                        counted.add(rs.getString(1));
                    }
                }
            }
            for (String table : names) {
                try (var st = c.createStatement(); ResultSet rs = st.executeQuery(
                        "select coalesce(string_agg(t::text, E'\\n' order by t::text), '') from " + schema + "."
                                + table + " t" + (counted.contains(table) ? " where count <> 0" : ""))) {
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
