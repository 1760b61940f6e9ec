package org.clinical.platform.deadletter;

import java.util.LinkedHashMap;
import org.clinical.platform.support.ForgedEvents;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.clinical.platform.support.TestDatabase;
import org.clinical.projections.deadletter.DeadLetterMonitor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No stored event can halt a projection: events written straight into a tenant's event store that the
 * patients read model cannot hold (a NUL character in a name) or that cannot be read at all (broken JSON) are
 * set aside as dead letters, the next event of the same patient waits behind its predecessor, and every other
 * event projects; reads at positions past them answer. The letters are listed, counted, measured and retried
 * once the events are corrected: each applied exactly once. A rebuild completes over them. A transient fault
 * (the processor's connection terminated) is retried, never dead-lettered.
 */
class DeadLetterTest extends PlatformTest {

    private static final String PATIENTS = "patients";

    @Autowired
    private DeadLetterMonitor monitor;
    @Autowired
    private MeterRegistry registry;

    @Test
    void events_a_projection_cannot_apply_are_set_aside_and_applied_once_after_the_fix() throws Exception {
        String tenant = newTenant();
        String before = newPatient(tenant, "MRN-BEFORE");
        Api.Response updated = api.put("/api/v1/" + tenant + "/patients/" + before + "/demographics").token(CLINICIAN)
                .json("""
                        {"name": {"family": "Byron", "given": ["Ada"]}, "birthDate": "1980-12-10",
                         "gender": "female"}""").send();
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);

        String nul = UUID.randomUUID().toString();
        String broken = UUID.randomUUID().toString();
        copyPatient(tenant, before, nul, "MRN-NUL", ForgedEvents.NUL_FAMILY);
        insertRegistration(tenant, before, broken, "2", "substring(payload from 1 for 20)");
        String after = newPatient(tenant, "MRN-AFTER");
        long head = queryLong("select max(global_index) from " + schema(tenant) + ".domain_event_entry");

        awaitAtHead(tenant, PATIENTS);
        awaitAtHead(tenant, "probe");
        String patients = liveSchema(tenant, PATIENTS);
        assertThat(queryStrings("select mrn from " + patients + ".patient order by mrn"))
                .containsExactly("MRN-AFTER", "MRN-BEFORE");
        Api.Response read = api.get("/api/v1/" + tenant + "/patients/" + after).token(CLINICIAN)
                .header("X-Min-Position", Long.toString(head)).send();
        assertThat(read.status()).as(read.toString()).isEqualTo(200);

        List<JsonNode> letters = letters(tenant, PATIENTS, 2);
        assertThat(letters).extracting(l -> l.get("sequence").asText()).containsExactly(nul, nul, broken);
        assertThat(letters).extracting(l -> l.get("type").asText())
                .containsExactly("PatientRegistered", "PatientDemographicsUpdated", "PatientRegistered");
        assertThat(letters).extracting(l -> l.get("aggregateSequence").asLong()).containsExactly(0L, 1L, 0L);
        assertThat(letters.get(0).get("causeMessage").asText()).contains("SQLState 22021").doesNotContain("Love");
        assertThat(letters.get(2).get("causeMessage").asText()).contains("could not be read")
                .doesNotContain("MRN-BROKEN");
        assertThat(letters.get(0).get("position").asLong()).isLessThan(letters.get(1).get("position").asLong());
        assertThat(letters.get(0).get("retries").asLong()).isZero();
        assertThat(deadLetterCount(tenant, PATIENTS)).isEqualTo(3);
        assertThat(deadLetterCount(tenant, "probe")).as("the probe reads the broken registration too").isEqualTo(1);
        assertThat(deadLetterCount(tenant, "encounters")).isZero();
        monitor.refresh();
        assertThat(gauge(tenant, PATIENTS)).isEqualTo(3.0);
        Api.Response health = api.get("/actuator/health").send();
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().get("status").asText()).isEqualTo("UP");
        assertThat(monitor.health().getDetails()).containsEntry("degraded", true);
        assertThat(healthCounts()).containsEntry(tenant + "/patients", 3L).containsEntry(tenant + "/probe", 1L);

        Api.Response failedRetry = api.post("/api/v1/" + tenant + "/projections/patients/dead-letters/retry")
                .token(ADMIN).send();
        assertThat(failedRetry.status()).as(failedRetry.toString()).isEqualTo(200);
        assertThat(failedRetry.body().get("applied").asInt()).isZero();
        assertThat(failedRetry.body().get("deadLetters").asLong()).isEqualTo(3);
        assertThat(letters(tenant, PATIENTS, 100).get(0).get("retries").asLong()).isEqualTo(1);

        correct(tenant, "update %s.domain_event_entry set payload = convert_to(replace(convert_from(payload, 'UTF8'),"
                + " '\\u0000', ''), 'UTF8') where aggregate_identifier = '" + nul + "'");
        copyRegistrationPayload(tenant, before, broken, "MRN-BROKEN");
        Api.Response retried = api.post("/api/v1/" + tenant + "/projections/patients/dead-letters/" + nul + "/retry")
                .token(ADMIN).send();
        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
        assertThat(retried.body().get("applied").asInt()).isEqualTo(1);
        assertThat(retried.body().get("deadLetters").asLong()).isEqualTo(1);
        assertThat(api.post("/api/v1/" + tenant + "/projections/patients/dead-letters/retry").token(ADMIN).send()
                .body().get("deadLetters").asLong()).isZero();
        assertThat(api.post("/api/v1/" + tenant + "/projections/probe/dead-letters/retry").token(ADMIN).send()
                .body().get("deadLetters").asLong()).isZero();

        assertThat(queryLong("select count(*) from " + patients + ".patient where patient_id = ?::uuid", nul))
                .isEqualTo(1);
        assertThat(queryString("select family || ' ' || version from " + patients + ".patient"
                + " where patient_id = ?::uuid", nul)).as("both letters of the sequence, in order").isEqualTo("Byron 2");
        assertThat(queryLong("select count(*) from " + patients + ".patient where patient_id = ?::uuid", broken))
                .isEqualTo(1);
        assertThat(queryLong("select count(*) from " + patients + ".patient_name_part where patient_id = ?::uuid",
                nul)).as("finish ran for the retried events").isPositive();
        assertThat(queryLong("select count(*) from " + liveSchema(tenant, "probe") + ".probe_patient")).isEqualTo(4);
        assertThat(deadLetterCount(tenant, PATIENTS)).isZero();
        assertThat(letters(tenant, PATIENTS, 100)).isEmpty();
        monitor.refresh();
        assertThat(gauge(tenant, PATIENTS)).isZero();
        assertThat(healthCounts()).doesNotContainKeys(tenant + "/patients", tenant + "/probe");
        assertThat(monitor.health().getStatus().getCode()).isEqualTo("UP");
    }

    @Test
    void an_event_waiting_behind_a_letter_still_moves_the_projection_position() throws Exception {
        String tenant = newTenant();
        String first = newPatient(tenant, "MRN-BEFORE");
        Api.Response updated = api.put("/api/v1/" + tenant + "/patients/" + first + "/demographics").token(CLINICIAN)
                .json("""
                        {"name": {"family": "Byron", "given": ["Ada"]}, "birthDate": "1980-12-10",
                         "gender": "female"}""").send();
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        String poisoned = UUID.randomUUID().toString();
        copyPatient(tenant, first, poisoned, "MRN-NUL", ForgedEvents.NUL_FAMILY);
        long head = queryLong("select max(global_index) from " + schema(tenant) + ".domain_event_entry");

        Api.Response read = api.get("/api/v1/" + tenant + "/patients/" + first).token(CLINICIAN)
                .header("X-Min-Position", Long.toString(head)).send();
        int attempts = 1;
        while (read.status() == 503 && attempts++ < 15) {
            read = api.get("/api/v1/" + tenant + "/patients/" + first).token(CLINICIAN)
                    .header("X-Min-Position", Long.toString(head)).send();
        }
        assertThat(read.status()).as("the last event, dead-lettered behind its aggregate's letter: %s", read)
                .isEqualTo(200);
        assertThat(projection(tenant, PATIENTS).get("position").asLong()).isEqualTo(head);
        assertThat(letters(tenant, PATIENTS, 100)).extracting(l -> l.get("aggregateSequence").asLong())
                .containsExactly(0L, 1L);
    }

    @Test
    void an_event_whose_upcaster_fails_is_set_aside_as_stored_and_applied_once_corrected() throws Exception {
        String tenant = newTenant();
        String first = newPatient(tenant, "MRN-BEFORE");
        String pilot = UUID.randomUUID().toString();
        insertRegistration(tenant, first, pilot, "1", "substring(payload from 1 for 20)");
        newPatient(tenant, "MRN-AFTER");
        awaitAtHead(tenant, PATIENTS);

        String patients = liveSchema(tenant, PATIENTS);
        assertThat(queryStrings("select mrn from " + patients + ".patient order by mrn"))
                .containsExactly("MRN-AFTER", "MRN-BEFORE");
        List<JsonNode> letters = letters(tenant, PATIENTS, 100);
        assertThat(letters).extracting(l -> l.get("sequence").asText()).containsExactly(pilot);
        assertThat(letters.get(0).get("causeMessage").asText()).contains("could not be read");

        copyRegistrationPayload(tenant, first, pilot, "MRN-PILOT");
        correct(tenant, "update %s.domain_event_entry set payload_revision = '2' where aggregate_identifier = '"
                + pilot + "'");
        Api.Response retried = api.post("/api/v1/" + tenant + "/projections/patients/dead-letters/retry")
                .token(ADMIN).send();
        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
        assertThat(retried.body().get("applied").asInt()).isEqualTo(1);
        assertThat(retried.body().get("deadLetters").asLong()).isZero();
        assertThat(queryLong("select count(*) from " + patients + ".patient where patient_id = ?::uuid"
                + " and mrn = 'MRN-PILOT'", pilot)).isEqualTo(1);
    }

    @Test
    void an_event_whose_upcaster_fails_with_a_cast_is_set_aside_too() throws Exception {
        String tenant = newTenant();
        String first = newPatient(tenant, "MRN-BEFORE");
        String pilot = UUID.randomUUID().toString();
        // valid JSON, but not an object: the revision-1 upcaster's cast fails, not the JSON reader
        insertRegistration(tenant, first, pilot, "1", "convert_to('[]', 'UTF8')");
        newPatient(tenant, "MRN-AFTER");
        awaitAtHead(tenant, PATIENTS);

        assertThat(queryStrings("select mrn from " + liveSchema(tenant, PATIENTS) + ".patient order by mrn"))
                .containsExactly("MRN-AFTER", "MRN-BEFORE");
        assertThat(letters(tenant, PATIENTS, 100)).extracting(l -> l.get("sequence").asText()).containsExactly(pilot);
    }

    @Test
    void an_observation_the_read_model_cannot_hold_is_set_aside_and_the_rest_of_its_batch_commits()
            throws Exception {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-OBS");
        Api.Response recorded = api.post("/api/v1/" + tenant + "/observations").token(CLINICIAN)
                .json(heartRate(patient, null, 72)).send();
        assertThat(recorded.status()).as(recorded.toString()).isEqualTo(201);
        String observation = recorded.body().get("observationId").asText();
        String poison = UUID.randomUUID().toString();
        String valid = UUID.randomUUID().toString();
        String events = schema(tenant) + ".domain_event_entry";
        try (Connection c = TestDatabase.connect(); var ps = c.prepareStatement("""
                insert into %s (event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                                payload_type, payload_revision, payload, meta_data)
                select gen_random_uuid()::text, n.id, sequence_number, type, time_stamp, payload_type,
                       payload_revision,
                       convert_to(replace(replace(convert_from(payload, 'UTF8'), aggregate_identifier, n.id),
                                          '2025-03-01T09:00:00Z', n.at), 'UTF8'),
                       meta_data
                from %s, (values (1, ?, '-5000-03-01T09:00:00Z'), (2, ?, '2025-03-02T09:00:00Z')) n(k, id, at)
                where aggregate_identifier = ? order by n.k""".formatted(events, events))) {
            ps.setString(1, poison);
            ps.setString(2, valid);
            ps.setString(3, observation);
            assertThat(ps.executeUpdate()).isEqualTo(2);
        }
        awaitAtHead(tenant, "observations");

        String observations = liveSchema(tenant, "observations");
        assertThat(queryStrings("select observation_id::text from " + observations + ".observation"))
                .containsExactlyInAnyOrder(observation, valid);
        assertThat(queryLong("select coalesce(sum(count), 0) from " + observations + ".observation_stat"))
                .as("the statistics count each applied observation once").isEqualTo(2);
        List<JsonNode> letters = letters(tenant, "observations", 100);
        assertThat(letters).extracting(l -> l.get("sequence").asText()).containsExactly(poison);
        assertThat(letters.get(0).get("causeMessage").asText()).contains("SQLState").doesNotContain("5000");
        assertThat(deadLetterCount(tenant, PATIENTS)).isZero();
    }

    @Test
    void a_rebuild_completes_over_events_it_cannot_apply_and_keeps_their_letters() throws Exception {
        String tenant = newTenant();
        String first = newPatient(tenant, "MRN-FIRST");
        String poison = UUID.randomUUID().toString();
        ForgedEvents.copy(schema(tenant), first, List.of(poison), true, replacing("MRN-POISON", ForgedEvents.NUL_FAMILY));
        newPatient(tenant, "MRN-LAST");
        awaitAtHead(tenant, PATIENTS);
        assertThat(deadLetterCount(tenant, PATIENTS)).isEqualTo(1);

        Api.Response started = api.post("/api/v1/" + tenant + "/projections/patients/rebuild").token(ADMIN).send();
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        awaitProjection(tenant, PATIENTS, p -> !p.get("rebuilding").asBoolean(), "rebuilt");
        awaitAtHead(tenant, PATIENTS);

        assertThat(liveSchema(tenant, PATIENTS)).endsWith("_2");
        assertThat(queryStrings("select mrn from " + liveSchema(tenant, PATIENTS) + ".patient order by mrn"))
                .containsExactly("MRN-FIRST", "MRN-LAST");
        assertThat(letters(tenant, PATIENTS, 100)).extracting(l -> l.get("sequence").asText())
                .as("the rebuild's own letter replaced the live generation's").containsExactly(poison);
        assertThat(queryLong("select count(*) from " + schema(tenant) + ".dead_letter_entry")).isEqualTo(1);
    }

    @Test
    void a_transient_fault_is_retried_and_never_dead_lettered() throws Exception {
        String tenant = newTenant();
        newPatient(tenant, "MRN-FIRST");
        awaitAtHead(tenant, PATIENTS);
        String table = liveSchema(tenant, PATIENTS) + ".patient";
        long position;
        try (Connection lock = TestDatabase.connect()) {
            lock.setAutoCommit(false);
            lock.createStatement().execute("lock table " + table + " in exclusive mode");
            position = registerPatient(tenant, "MRN-BLOCKED").position();
            int blocked = awaitBlockedOn(table);
            assertThat(queryString("select pg_terminate_backend(?)::text", blocked)).isEqualTo("true");
            awaitBlockedOn(table);
            lock.rollback();
        }
        awaitProjection(tenant, PATIENTS, p -> p.get("position").asLong() >= position, "past the fault");
        assertThat(queryLong("select count(*) from " + table + " where mrn = 'MRN-BLOCKED'")).isEqualTo(1);
        assertThat(deadLetterCount(tenant, PATIENTS)).isZero();
        assertThat(queryLong("select count(*) from " + schema(tenant) + ".dead_letter_entry")).isZero();
    }

    @Test
    void dead_letter_endpoints_are_for_admins_and_check_their_input() {
        String tenant = newTenant();
        String path = "/api/v1/" + tenant + "/projections/patients/dead-letters";
        assertThat(api.get(path).token(CLINICIAN).send().status()).isEqualTo(403);
        assertThat(api.post(path + "/retry").token(CLINICIAN).send().status()).isEqualTo(403);
        assertThat(api.get("/api/v1/" + tenant + "/projections/nosuch/dead-letters").token(ADMIN).send().status())
                .isEqualTo(404);
        assertBadParameter(api.get(path + "?limit=1001").token(ADMIN).send(), "limit");
        assertBadParameter(api.get(path + "?cursor=bm9uc2Vuc2U").token(ADMIN).send(), "cursor");
        Api.Response empty = api.get(path).token(ADMIN).send();
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.body().get("items")).isEmpty();
        assertThat(empty.body().get("nextCursor").isNull()).isTrue();
        Api.Response none = api.post(path + "/retry").token(ADMIN).send();
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.body().get("sequences").asInt()).isZero();
    }

    /** Every letter of the projection, read page by page with the given page size. */
    private List<JsonNode> letters(String tenant, String projection, int limit) {
        List<JsonNode> letters = new ArrayList<>();
        String cursor = null;
        do {
            Api.Response page = api.get("/api/v1/" + tenant + "/projections/" + projection + "/dead-letters?limit="
                    + limit + (cursor == null ? "" : "&cursor=" + cursor)).token(ADMIN).send();
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.body().get("items").forEach(letters::add);
            cursor = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asText();
        } while (cursor != null);
        return letters;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Long> healthCounts() {
        return (Map<String, Long>) monitor.health().getDetails().get("deadLetters");
    }

    private long deadLetterCount(String tenant, String projection) {
        return projection(tenant, projection).get("deadLetters").asLong();
    }

    private double gauge(String tenant, String projection) {
        Gauge gauge = registry.find("clinical.projection.dead_letters").tags("tenant", tenant, "projection", projection)
                .gauge();
        assertThat(gauge).isNotNull();
        return gauge.value();
    }

    private JsonNode projection(String tenant, String name) {
        Api.Response list = api.get("/api/v1/" + tenant + "/projections").token(ADMIN).send();
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        for (JsonNode item : list.body().get("items")) {
            if (item.get("name").asText().equals(name)) {
                return item;
            }
        }
        throw new AssertionError("no projection " + name);
    }

    private void awaitAtHead(String tenant, String name) {
        awaitProjection(tenant, name, p -> p.get("position").asLong() == p.get("head").asLong(), "at the head");
    }

    private void awaitProjection(String tenant, String name, Predicate<JsonNode> done, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        JsonNode item = projection(tenant, name);
        while (!done.test(item)) {
            assertThat(Instant.now()).as("%s of %s %s: %s", name, tenant, what, item).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            item = projection(tenant, name);
        }
    }

    /** The pid of a backend waiting for a lock on the table (at most 30 s). */
    private static int awaitBlockedOn(String table) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        String sql = "select coalesce(min(l.pid), 0) from pg_locks l where not l.granted and l.relation = ?::regclass";
        long pid;
        while ((pid = queryLong(sql, table)) == 0) {
            assertThat(Instant.now()).as("a write waiting on %s", table).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        return (int) pid;
    }

    /** Copies every event of patient {@code from} under the id {@code to}, with its MRN and family name replaced. */
    private static void copyPatient(String tenant, String from, String to, String mrn, String family) {
        ForgedEvents.copy(schema(tenant), from, List.of(to), false, replacing(mrn, family));
    }

    private static Map<String, String> replacing(String mrn, String family) {
        Map<String, String> replacements = new LinkedHashMap<>();
        replacements.put("MRN-BEFORE", mrn);
        replacements.put("\"Lovelace\"", family);
        return replacements;
    }

    /**
     * A registration of {@code to} stored with the given revision and payload (an SQL expression over the
     * payload of {@code from}'s registration), in one statement: a projection never sees it otherwise.
     */
    private static void insertRegistration(String tenant, String from, String to, String revision, String payload)
            throws SQLException {
        String events = schema(tenant) + ".domain_event_entry";
        try (Connection c = TestDatabase.connect(); var ps = c.prepareStatement("""
                insert into %s (event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                                payload_type, payload_revision, payload, meta_data)
                select gen_random_uuid()::text, ?, 0, type, time_stamp, payload_type, ?, %s, meta_data
                from %s where aggregate_identifier = ? and sequence_number = 0""".formatted(events, payload, events))) {
            ps.setString(1, to);
            ps.setString(2, revision);
            ps.setString(3, from);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    /** The registration of {@code to} corrected: the valid payload of {@code from}'s, under its id and MRN. */
    private static void copyRegistrationPayload(String tenant, String from, String to, String mrn) throws SQLException {
        correct(tenant, ("update %s.domain_event_entry t set payload = convert_to(replace(replace(convert_from(f.payload,"
                + " 'UTF8'), '" + from + "', '" + to + "'), 'MRN-BEFORE', '" + mrn + "'), 'UTF8')"
                + " from %s.domain_event_entry f where f.aggregate_identifier = '" + from + "' and f.sequence_number = 0"
                + " and t.aggregate_identifier = '" + to + "' and t.sequence_number = 0").replace("%s", "%1$s"));
    }

    /**
     * As superuser, past the triggers that keep stored events append-only, for this transaction only: what an
     * operator's fix would do (docs/operations.md "Append-only events").
     */
    private static void correct(String tenant, String sqlWithSchema) throws SQLException {
        try (Connection c = TestDatabase.connect(); var st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("set local session_replication_role = replica");
            assertThat(st.executeUpdate(sqlWithSchema.formatted(schema(tenant)))).isPositive();
            c.commit();
        }
    }
}
