package org.clinical.platform.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.clinical.infra.config.ClinicalProperties;
import org.clinical.infra.region.Regions;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.clinical.platform.support.TestDatabase;
import org.clinical.platform.support.Tokens;
import org.clinical.query.audit.AccessEntry;
import org.clinical.query.audit.AccessLog;
import org.clinical.query.audit.AccessLogPartitions;
import org.clinical.query.audit.AccessLogProperties;
import org.clinical.query.audit.AccessLogWriter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The PHI read-access log (issue 9 item 5, docs/operations.md "Audit: PHI access log"): every answered read of
 * patient-level data leaves one entry per patient before it is answered, auditors list them by patient, actor and
 * time, nobody changes them, and old months leave only by dropping their partition.
 */
class AccessLogTest extends PlatformTest {

    private static final String AUDITOR = Tokens.token("auditor-aud", List.of("auditor"), List.of("*"));
    private static final String DEFAULT = ClinicalProperties.DEFAULT_REGION;

    @Autowired
    private Regions regions;
    @Autowired
    private AccessLog accessLog;
    @Autowired
    private AccessLogPartitions partitions;
    @Autowired
    private AccessLogProperties properties;
    @Autowired
    private MeterRegistry meters;
    @org.springframework.boot.test.web.server.LocalServerPort
    private int port;

    @Test
    void every_read_of_patient_data_records_who_read_which_patient_when_and_through_which_endpoint() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "MAIN");
        String ada = newPatient(tenant, "MRN-1");
        String grace = newPatient(tenant, "MRN-2");
        newEncounter(tenant, ada, facility, "AMB");
        long head = api.post("/api/v1/" + tenant + "/observations").token(CLINICIAN)
                .json(heartRate(ada, null, 72)).send().position();
        String p = "/api/v1/" + tenant + "/patients/";
        List<String[]> reads = List.of(
                new String[]{p + ada, "GET /api/v1/{tenant}/patients/{id}", CLINICIAN, "dr-house"},
                new String[]{p + ada, "GET /api/v1/{tenant}/patients/{id}", CLINICIAN, "dr-house"},
                new String[]{p + ada + "/vitals/latest", "GET /api/v1/{tenant}/patients/{id}/vitals/latest", CLINICIAN,
                        "dr-house"},
                new String[]{p + ada + "/encounters", "GET /api/v1/{tenant}/patients/{id}/encounters", ANALYST,
                        "analyst-ann"},
                new String[]{p + ada + "/observations?code=8867-4", "GET /api/v1/{tenant}/patients/{patientId}/observations",
                        CLINICIAN, "dr-house"},
                new String[]{"/api/v1/" + tenant + "/audit/patients/" + ada + "/events",
                        "GET /api/v1/{tenant}/audit/patients/{patientId}/events", AUDITOR, "auditor-aud"},
                new String[]{"/api/v1/" + tenant + "/audit/patients/" + ada + "?asOf=" + Instant.now().plusSeconds(1),
                        "GET /api/v1/{tenant}/audit/patients/{id}", AUDITOR, "auditor-aud"});
        Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<String> correlationIds = new ArrayList<>();
        for (String[] read : reads) {
            String correlationId = "read-" + UUID.randomUUID();
            correlationIds.add(correlationId);
            Api.Response answer = api.get(read[0]).token(read[2]).header("X-Min-Position", Long.toString(head))
                    .header("X-Correlation-Id", correlationId).header("X-Purpose-Of-Use", "TREAT").send();
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        }
        String streamId = "stream-" + UUID.randomUUID();
        Api.Response stream = api.get("/api/v1/" + tenant + "/audit/patients/" + ada + "/events").token(AUDITOR)
                .header("Accept", "application/x-ndjson").header("X-Correlation-Id", streamId).send();
        assertThat(stream.status()).as(stream.toString()).isEqualTo(200);
        String searchId = "search-" + UUID.randomUUID();
        Api.Response search = api.get("/api/v1/" + tenant + "/patients?name=lovelace").token(CLINICIAN)
                .header("X-Correlation-Id", searchId).send();
        assertThat(search.body().get("items")).hasSize(2);
        Instant after = Instant.now();

        List<JsonNode> ofAda = list(tenant, "?patientId=" + ada);
        assertThat(ofAda).hasSize(reads.size() + 2);
        for (int i = 0; i < reads.size(); i++) {
            JsonNode entry = ofAda.get(i);
            String[] read = reads.get(i);
            assertThat(entry.get("patientId").asText()).isEqualTo(ada);
            assertThat(entry.get("tenant").asText()).isEqualTo(tenant);
            assertThat(entry.get("endpoint").asText()).isEqualTo(read[1]);
            assertThat(entry.get("actor").asText()).isEqualTo(read[3]);
            assertThat(entry.get("roles")).hasSize(1);
            assertThat(entry.get("roles").get(0).asText()).isEqualTo(read[3].equals("dr-house") ? "clinician"
                    : read[3].equals("analyst-ann") ? "analyst" : "auditor");
            assertThat(entry.get("correlationId").asText()).isEqualTo(correlationIds.get(i));
            assertThat(entry.get("purposeOfUse").asText()).isEqualTo("TREAT");
            assertThat(Instant.parse(entry.get("readAt").asText())).isBetween(before, after);
        }
        JsonNode streamed = ofAda.get(reads.size());
        assertThat(streamed.get("correlationId").asText()).isEqualTo(streamId);
        assertThat(streamed.get("endpoint").asText()).isEqualTo("GET /api/v1/{tenant}/audit/patients/{patientId}/events");
        assertThat(streamed.get("purposeOfUse").isNull()).isTrue();
        JsonNode searched = ofAda.get(reads.size() + 1);
        assertThat(searched.get("correlationId").asText()).isEqualTo(searchId);
        assertThat(searched.get("endpoint").asText()).as("the route, never the query's words")
                .isEqualTo("GET /api/v1/{tenant}/patients");

        List<JsonNode> ofGrace = list(tenant, "?patientId=" + grace);
        assertThat(ofGrace).as("a search records each patient it answers").hasSize(1);
        assertThat(ofGrace.get(0).get("correlationId").asText()).isEqualTo(searchId);

        Timer waits = meters.find("clinical.access_log.wait").tag("result", "durable").timer();
        assertThat(waits).isNotNull();
        assertThat(waits.count()).isGreaterThanOrEqualTo(reads.size() + 2L);
    }

    @Test
    void refused_reads_record_nothing_and_the_purpose_of_use_header_is_bounded_and_checked() throws Exception {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        String summary = "/api/v1/" + tenant + "/patients/" + patient;
        awaitProjectionsCaughtUp(tenant);

        String longest = "P".repeat(128);
        for (String bad : List.of(longest + "P", "TREAT\tNOW")) {
            assertBadParameter(api.get(summary).token(CLINICIAN).header("X-Purpose-Of-Use", bad).send(),
                    "X-Purpose-Of-Use");
        }
        for (String control : List.of("\u0001", "\u007f")) {
            assertThat(rawStatus("GET " + summary + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + CLINICIAN + "\r\nX-Purpose-Of-Use: TREAT" + control + "\r\nConnection: close\r\n\r\n"))
                    .as("a control character in X-Purpose-Of-Use").isEqualTo(400);
        }
        assertProblem(api.get("/api/v1/" + tenant + "/patients/" + UUID.randomUUID()).token(CLINICIAN).send(), 404);
        assertProblem(api.get(summary + "/encounters").token(ADMIN).send(), 403);
        assertThat(entries(tenant)).as("refused reads leave no entry").isZero();

        Api.Response ok = api.get(summary).token(CLINICIAN).header("X-Purpose-Of-Use", longest).send();
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(list(tenant, "").get(0).get("purposeOfUse").asText()).isEqualTo(longest);
        Api.Response none = api.get("/api/v1/" + tenant + "/patients?mrn=NOBODY").token(CLINICIAN).send();
        assertThat(none.body().get("items")).isEmpty();
        assertThat(entries(tenant)).as("a search answering nobody reads no patient").isEqualTo(1);
    }

    @Test
    void auditors_filter_by_patient_actor_and_time_and_page_by_cursor_within_their_tenant_only() {
        String tenant = newTenant();
        String other = newTenant();
        String ada = newPatient(tenant, "MRN-1");
        String grace = newPatient(tenant, "MRN-2");
        String elsewhere = newPatient(other, "MRN-1");
        String nurse = Tokens.token("nurse-joy", List.of("clinician"), List.of(tenant));
        awaitProjectionsCaughtUp(tenant);
        awaitProjectionsCaughtUp(other);
        long already = entries(tenant);
        for (int i = 0; i < 3; i++) {
            read(tenant, ada, CLINICIAN);
            read(tenant, grace, nurse);
        }
        Instant middle = Instant.parse(list(tenant, "").get((int) already + 3).get("readAt").asText());
        read(other, elsewhere, CLINICIAN);

        List<JsonNode> all = list(tenant, "");
        assertThat(all).hasSize((int) already + 6);
        assertThat(all).extracting(e -> e.get("tenant").asText()).containsOnly(tenant);
        assertThat(all).extracting(e -> e.get("patientId").asText()).doesNotContain(elsewhere);
        assertThat(all).extracting(e -> e.get("readAt").asText()).isSortedAccordingTo(
                (a, b) -> Instant.parse(a).compareTo(Instant.parse(b)));
        assertThat(list(tenant, "?patientId=" + grace)).extracting(e -> e.get("actor").asText())
                .containsExactly("nurse-joy", "nurse-joy", "nurse-joy");
        assertThat(list(tenant, "?actor=nurse-joy")).extracting(e -> e.get("patientId").asText())
                .containsExactly(grace, grace, grace);
        assertThat(list(tenant, "?actor=nurse-joy&patientId=" + ada)).isEmpty();
        assertThat(list(tenant, "?from=" + middle)).isEqualTo(all.subList((int) already + 3, all.size()));
        assertThat(list(tenant, "?to=" + middle)).isEqualTo(all.subList(0, (int) already + 4));
        assertThat(list(tenant, "?from=" + middle + "&to=" + middle)).containsExactly(all.get((int) already + 3));
        assertThat(list(other, "")).extracting(e -> e.get("patientId").asText()).containsOnly(elsewhere);

        List<JsonNode> paged = new ArrayList<>();
        String cursor = null;
        do {
            Api.Response page = api.get("/api/v1/" + tenant + "/audit/access-log?limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor)).token(AUDITOR).send();
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(page.body().get("items").size()).isLessThanOrEqualTo(2);
            page.body().get("items").forEach(paged::add);
            cursor = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asText();
        } while (cursor != null);
        assertThat(paged).isEqualTo(all);

        String log = "/api/v1/" + tenant + "/audit/access-log";
        assertBadParameter(api.get(log + "?patientId=ada").token(AUDITOR).send(), "patientId");
        assertBadParameter(api.get(log + "?actor=a%00b").token(AUDITOR).send(), "actor");
        assertBadParameter(api.get(log + "?actor=" + "a".repeat(1001)).token(AUDITOR).send(), "actor");
        assertBadParameter(api.get(log + "?from=yesterday").token(AUDITOR).send(), "from");
        assertBadParameter(api.get(log + "?from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z").token(AUDITOR).send(),
                "to");
        for (String token : List.of(CLINICIAN, ANALYST, ADMIN)) {
            assertProblem(api.get(log).token(token).send(), 403);
        }
        assertProblem(api.get(log).token(Tokens.token("auditor-other", List.of("auditor"), List.of(other))).send(),
                404);
    }

    @Test
    void a_read_whose_entry_cannot_be_made_durable_answers_503_and_not_its_data() throws SQLException {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        String summary = "/api/v1/" + tenant + "/patients/" + patient;
        awaitProjectionsCaughtUp(tenant);
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("lock table clinical_platform.access_log in access exclusive mode");
            Api.Response refused = api.get(summary).token(CLINICIAN).send();
            assertProblem(refused, 503);
            assertThat(refused.body().get("type").asText()).isEqualTo("urn:clinical:problem:access-log-unavailable");
            assertThat(refused.header("Retry-After")).isNotBlank();
            assertThat(refused.body().has("mrn")).isFalse();
            c.rollback();
        }
        assertThat(api.get(summary).token(CLINICIAN).send().status()).isEqualTo(200);
        assertThat(meters.find("clinical.access_log.wait").tag("result", "failed").timer().count()).isPositive();
    }

    @Test
    void entries_cannot_be_changed_removed_or_emptied_and_the_tenants_analyst_cannot_read_them() throws Exception {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        awaitProjectionsCaughtUp(tenant);
        read(tenant, patient, CLINICIAN);
        String before = fingerprint(tenant);
        JdbcTemplate jdbc = regions.region(DEFAULT).jdbc();
        String partition = "clinical_platform." + partitions.makeAhead(DEFAULT, Instant.now()).get(0);
        for (String change : List.of(
                "update clinical_platform.access_log set actor = 'someone' where tenant_id = '" + tenant + "'",
                "delete from clinical_platform.access_log where tenant_id = '" + tenant + "'",
                "truncate clinical_platform.access_log",
                "update " + partition + " set actor = 'someone' where tenant_id = '" + tenant + "'",
                "delete from " + partition + " where tenant_id = '" + tenant + "'",
                "truncate " + partition)) {
            Throwable refused = catchThrowable(() -> jdbc.execute(change));
            SQLException cause = sqlCause(refused);
            assertThat(cause.getSQLState()).as(change).isEqualTo("42501");
            assertThat(cause.getMessage()).as(change).contains("the access log is append-only");
        }
        assertThat(fingerprint(tenant)).isEqualTo(before);

        String analyst = "clinical_analyst_" + tenant.replace('-', '_');
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("set local role " + analyst);
            SQLException refused = (SQLException) catchThrowable(
                    () -> st.executeQuery("select * from clinical_platform.access_log"));
            assertThat(refused.getSQLState()).isEqualTo("42501");
            c.rollback();
        }
        assertThat(queryLong("select count(*) from pg_roles r where rolname like 'clinical\\_analyst\\_%' and"
                + " (has_table_privilege(r.oid, 'clinical_platform.access_log', 'SELECT')"
                + " or has_table_privilege(r.oid, 'clinical_platform.access_log', 'UPDATE')"
                + " or has_table_privilege(r.oid, 'clinical_platform.access_log', 'DELETE'))"))
                .as("no analyst role reads or changes the access log").isZero();
    }

    @Test
    void a_batch_is_written_whole_in_one_statement_and_keeps_every_field_exactly() throws Exception {
        String tenant = newTenant();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<String> odd = java.util.Arrays.asList("a,b", "say \"hi\"", "back\\slash", "{braces}", "", "NULL",
                null, "nul\u0000here");
        List<AccessEntry> entries = List.of(
                new AccessEntry(at, tenant, UUID.randomUUID(), "dr-\"quoted\"", odd, "GET /x", "c-1", "TREAT"),
                new AccessEntry(at.plusNanos(1_000), tenant, UUID.randomUUID(), "dr-2", List.of(), "GET /y", "c-2",
                        null),
                new AccessEntry(at.plusNanos(2_000), tenant, UUID.randomUUID(), "dr-3", List.of("clinician"),
                        "GET /z", "c-3", "ETREAT"));
        accessLog.writer(DEFAULT).submit(entries).get(10, TimeUnit.SECONDS);

        List<java.util.Map<String, Object>> rows = regions.region(DEFAULT).jdbc().queryForList(
                "select read_at, patient_id, actor, roles, endpoint, correlation_id, purpose_of_use"
                        + " from clinical_platform.access_log where tenant_id = ? order by correlation_id", tenant);
        assertThat(rows).hasSize(3);
        for (int i = 0; i < 3; i++) {
            AccessEntry sent = entries.get(i);
            java.util.Map<String, Object> row = rows.get(i);
            assertThat(((java.sql.Timestamp) row.get("read_at")).toInstant()).isEqualTo(sent.readAt());
            assertThat(row.get("patient_id")).isEqualTo(sent.patientId());
            assertThat(row.get("actor")).isEqualTo(sent.actor());
            assertThat(row.get("endpoint")).isEqualTo(sent.endpoint());
            assertThat(row.get("purpose_of_use")).isEqualTo(sent.purposeOfUse());
            assertThat((String[]) ((java.sql.Array) row.get("roles")).getArray()).as("roles of entry " + i)
                    .containsExactlyElementsOf(sent.roles().stream()
                            .map(r -> r == null ? null : r.replace('\u0000', '\uFFFD')).toList());
        }
    }

    /**
     * Reads lead the commits themselves (at most {@code writers} at once); the others wait for a leader or the
     * writer's background thread to take their entries. Many concurrent reads: every entry committed exactly once,
     * every read's future completed normally.
     */
    @Test
    void concurrent_reads_share_the_commits_and_every_entry_is_written_exactly_once() {
        String tenant = newTenant();
        int waited = submitConcurrently(accessLog.writer(DEFAULT), tenant, 24, 100);
        System.out.printf("%d of %d reads waited for another commit%n", waited, 2_400);
        assertThat(entries(tenant)).isEqualTo(2_400);
        assertThat(queryLong("select count(distinct correlation_id) from clinical_platform.access_log"
                + " where tenant_id = ?", tenant)).as("each entry once").isEqualTo(2_400);
    }

    /**
     * No wake-up is lost: with the background thread's safety poll an hour apart, every entry of many concurrent
     * reads (most of which find both commit slots busy) is still committed by a read's commit or the woken thread,
     * well within the wait.
     */
    @Test
    void no_entry_waits_for_the_background_threads_safety_poll() {
        String tenant = newTenant();
        AccessLogWriter writer = new AccessLogWriter(DEFAULT, regions.region(DEFAULT).dataSource(),
                properties, new SimpleMeterRegistry(), Duration.ofHours(1));
        try {
            submitConcurrently(writer, tenant, 16, 50);
        } finally {
            writer.close();
        }
        assertThat(entries(tenant)).isEqualTo(800);
    }

    /**
     * {@code threads} reads at once ({@link #concurrently}), each submitting {@code perThread} entries one after the
     * other and waiting at most 10 s for each; answers how many found no commit slot free (their future not done
     * when submit returned).
     */
    private static int submitConcurrently(AccessLogWriter writer, String tenant, int threads, int perThread) {
        AtomicInteger threadNumbers = new AtomicInteger();
        return concurrently(threads, () -> {
            int thread = threadNumbers.getAndIncrement();
            int waited = 0;
            for (int i = 0; i < perThread; i++) {
                AccessEntry entry = new AccessEntry(Instant.now(), tenant, UUID.randomUUID(), "dr-" + thread,
                        List.of("clinician"), "GET /x", "c-" + thread + "-" + i, null);
                CompletableFuture<Void> durable = writer.submit(List.of(entry));
                if (!durable.isDone()) {
                    waited++; // another read's commit, or the background thread, took it
                }
                durable.get(10, TimeUnit.SECONDS);
            }
            return waited;
        }).stream().mapToInt(Integer::intValue).sum();
    }

    @Test
    void months_get_partitions_ahead_a_missing_one_is_made_on_the_spot_and_retention_drops_whole_old_months()
            throws Exception {
        Instant now = Instant.now();
        ZonedDateTime month = now.atZone(ZoneOffset.UTC).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS);
        Instant inFiveMonths = month.plusMonths(5).toInstant();
        assertThat(partitions.makeAhead(DEFAULT, inFiveMonths)).containsExactly(name(month.plusMonths(5)),
                name(month.plusMonths(6)), name(month.plusMonths(7)));
        assertThat(partitionExists(name(month.plusMonths(7)))).isTrue();

        ZonedDateTime expired = month.minusYears(6).minusMonths(2);
        ZonedDateTime kept = month.minusYears(6).plusMonths(1);
        String tenant = newTenant();
        UUID patient = UUID.randomUUID();
        for (ZonedDateTime at : List.of(expired, kept)) {
            assertThat(partitionExists(name(at))).isFalse();
            accessLog.writer(DEFAULT).submit(List.of(new AccessEntry(at.plusDays(3).toInstant(), tenant, patient,
                    "dr-past", List.of("clinician"), "GET /api/v1/{tenant}/patients/{id}", "old-" + at, null)))
                    .get(10, TimeUnit.SECONDS);
            assertThat(partitionExists(name(at))).as("made by the writer for its entry").isTrue();
        }
        assertThat(entries(tenant)).isEqualTo(2);

        assertThat(partitions.dropExpired(DEFAULT, now)).containsExactly(name(expired));
        assertThat(partitionExists(name(expired))).isFalse();
        assertThat(partitionExists(name(kept))).isTrue();
        assertThat(partitionExists(name(month))).isTrue();
        assertThat(list(tenant, "")).extracting(e -> e.get("correlationId").asText()).containsExactly("old-" + kept);
        assertThat(partitions.dropExpired(DEFAULT, now)).as("nothing more to drop").isEmpty();
    }

    /** The status of a request sent as raw bytes: HTTP clients refuse to send control characters in headers. */
    private int rawStatus(String request) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return Integer.parseInt(answer.substring(9, 12));
        }
    }

    private void read(String tenant, String patient, String token) {
        Api.Response answer = api.get("/api/v1/" + tenant + "/patients/" + patient).token(token).send();
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }

    /** Every entry of the tenant's log through the API, walking all pages. */
    private List<JsonNode> list(String tenant, String query) {
        Api.Response page = api.get("/api/v1/" + tenant + "/audit/access-log" + query
                + (query.isEmpty() ? "?" : "&") + "limit=1000").token(AUDITOR).send();
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.body().get("nextCursor").isNull()).isTrue();
        List<JsonNode> items = new ArrayList<>();
        page.body().get("items").forEach(items::add);
        return items;
    }

    private static long entries(String tenant) {
        return queryLong("select count(*) from clinical_platform.access_log where tenant_id = ?", tenant);
    }

    private static String fingerprint(String tenant) {
        return queryString("select md5(string_agg(x::text, ',' order by id)) from clinical_platform.access_log x"
                + " where tenant_id = ?", tenant);
    }

    private static String name(ZonedDateTime month) {
        return "access_log_p" + month.format(DateTimeFormatter.ofPattern("yyyy_MM"));
    }

    private static boolean partitionExists(String name) {
        return queryLong("select count(*) from pg_class where relname = ? and relnamespace ="
                + " 'clinical_platform'::regnamespace", name) == 1;
    }

    private static SQLException sqlCause(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        throw new AssertionError("no SQLException in " + error, error);
    }
}
