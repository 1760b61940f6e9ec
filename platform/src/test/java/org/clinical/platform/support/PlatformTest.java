package org.clinical.platform.support;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.platform.ClinicalPlatformApplication;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole platform on a random port, against the machine's PostgreSQL (a database of its own for this test
 * run), a redis-server of its own ({@link TestRedis}) and an in-process Kafka broker; requests carry real signed tokens.
 */
@SpringBootTest(classes = ClinicalPlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class PlatformTest {

    protected static final String ADMIN = Tokens.token("admin-ops", List.of("admin"), List.of("*"));
    protected static final String CLINICIAN = Tokens.token("dr-house", List.of("clinician"), List.of("*"));
    protected static final String ANALYST = Tokens.token("analyst-ann", List.of("analyst"), List.of("*"));

    /** The key audit checkpoints are signed with in tests (CLINICAL_AUDIT_SIGNING_KEY). */
    protected static final String AUDIT_SIGNING_KEY = "platform-test-audit-signing-key-0123456789";

    @LocalServerPort
    private int port;
    protected Api api;

    static {
        System.setProperty("axoniq.update-checker.disabled", "true");
    }

    @DynamicPropertySource
    static void platform(DynamicPropertyRegistry registry) {
        registry.add("clinical.db.url", () -> TestDatabase.URL);
        registry.add("clinical.db.user", () -> TestDatabase.USER);
        registry.add("clinical.regions.eu.url", () -> TestDatabase.EU_URL);
        registry.add("clinical.regions.eu.user", () -> TestDatabase.USER);
        registry.add("clinical.jwt.secret", () -> Tokens.SECRET);
        registry.add("clinical.audit.signing.key", () -> AUDIT_SIGNING_KEY);
        registry.add("clinical.kafka.embedded-port", () -> "0");
        // a broker outage in a test (KafkaOutageTest) is noticed within 3 s and retried at least every 2 s; the
        // interceptor does nothing until a test arms it
        registry.add("clinical.kafka.publisher.send-timeout", () -> "3s");
        registry.add("clinical.kafka.publisher.max-backoff", () -> "2s");
        registry.add("clinical.kafka.properties.interceptor.classes",
                () -> "org.clinical.platform.kafka.FaultInterceptor");
        registry.add("spring.data.redis.url", TestRedis::url);
        // Tomcat's work directory goes with the run's own directory, even when the run is killed
        registry.add("server.tomcat.basedir", () -> TestRun.dir().resolve("tomcat").toString());
    }

    @BeforeEach
    void connect() {
        api = new Api(port);
    }

    /** A new tenant with a unique id, created through the API. */
    protected String newTenant() {
        String id = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Api.Response created = api.post("/api/v1/tenants").token(ADMIN)
                .json(Map.of("id", id, "name", "Hospital " + id, "region", "default")).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return id;
    }

    protected String newFacility(String tenant, String code) {
        Api.Response created = api.post("/api/v1/" + tenant + "/facilities").token(ADMIN)
                .json(Map.of("code", code, "name", "Facility " + code, "type", "hospital", "beds", 120)).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.body().get("facilityId").asText();
    }

    protected String newPatient(String tenant, String mrn) {
        Api.Response created = api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN).json("""
                {"mrn": "%s", "name": {"family": "Lovelace", "given": ["Ada"]}, "birthDate": "1980-12-10",
                 "gender": "female"}""".formatted(mrn)).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.body().get("patientId").asText();
    }

    protected Api.Response startEncounter(String tenant, String patientId, String facilityId, String encounterClass) {
        return api.post("/api/v1/" + tenant + "/encounters").token(CLINICIAN).json("""
                {"patientId": "%s", "class": "%s", "facilityId": "%s", "location": "Ward 1",
                 "startedAt": "2025-03-01T08:15:00Z"}""".formatted(patientId, encounterClass, facilityId)).send();
    }

    protected String newEncounter(String tenant, String patientId, String facilityId, String encounterClass) {
        Api.Response created = startEncounter(tenant, patientId, facilityId, encounterClass);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.body().get("encounterId").asText();
    }

    protected static String heartRate(String patientId, String encounterId, int value) {
        return """
                {"patientId": "%s", %s "code": {"system": "http://loinc.org", "code": "8867-4", "display": "Heart rate"},
                 "category": "vital-signs", "effectiveAt": "2025-03-01T09:00:00Z",
                 "value": {"quantity": {"value": %d, "unit": "/min"}}, "referenceRange": {"low": 60, "high": 100}}"""
                .formatted(patientId, encounterId == null ? "" : "\"encounterId\": \"" + encounterId + "\",", value);
    }

    /** How many events the tenant's own event store holds. */
    protected static long eventCount(String tenant) {
        return queryLong("select count(*) from t_" + tenant.replace('-', '_') + ".domain_event_entry");
    }

    protected static long queryLong(String sql, Object... args) {
        try (Connection c = TestDatabase.connect(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static void assertProblem(Api.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode body = response.body();
        assertThat(body.get("type").asText()).isNotBlank();
        assertThat(body.get("title").asText()).isNotBlank();
        assertThat(body.get("status").asInt()).isEqualTo(status);
    }

    /** A 400 problem whose first error names the field: a query parameter, a header or a body field. */
    protected static void assertBadParameter(Api.Response response, String field) {
        assertProblem(response, 400);
        assertThat(response.body().at("/errors/0/field").asText()).as(response.toString()).isEqualTo(field);
    }

    /** The body of a valid patient registration with the given MRN (born 1980-12-10). */
    protected static String patientBody(String mrn) {
        return """
                {"mrn": "%s", "name": {"family": "Lovelace", "given": ["Ada"]}, "birthDate": "1980-12-10",
                 "gender": "female"}""".formatted(mrn);
    }

    /** Sends a patient registration with the given MRN and answers the raw response. */
    protected Api.Response registerPatient(String tenant, String mrn) {
        return api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN).json(patientBody(mrn)).send();
    }

    /** The schema holding the tenant's event store, command-side tables and read models. */
    protected static String schema(String tenant) {
        return "t_" + tenant.replace('-', '_');
    }

    /** The schema of the live generation of a projection's read model, e.g. {@code r_acme__patients_1}. */
    protected static String liveSchema(String tenant, String projection) {
        long generation = queryLong("select live from " + schema(tenant) + ".projection_generation where name = ?",
                projection);
        return "r_" + tenant.replace('-', '_') + "__" + projection + "_" + generation;
    }

    /** How many events of the given contract type (e.g. {@code PatientRegistered}) the tenant's store holds. */
    protected static long eventCount(String tenant, String payloadType) {
        return queryLong("select count(*) from " + schema(tenant) + ".domain_event_entry where payload_type = ?",
                payloadType);
    }

    /** How many rows a table of the tenant's schema holds. */
    protected static long rowCount(String tenant, String table) {
        return queryLong("select count(*) from " + schema(tenant) + "." + table);
    }

    /** Row counts of the tenant's event store and every command-side table, to compare before and after. */
    protected static Map<String, Long> commandSideCounts(String tenant) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : List.of("domain_event_entry", "patient_registry", "encounter_registry",
                "facility_registry", "idempotency_key")) {
            counts.put(table, rowCount(tenant, table));
        }
        return counts;
    }

    /** The first column of the first row as text, or null when there is no row. */
    protected static String queryString(String sql, Object... args) {
        List<String> values = queryStrings(sql, args);
        return values.isEmpty() ? null : values.get(0);
    }

    /** The first column of every row, as text. */
    protected static List<String> queryStrings(String sql, Object... args) {
        try (Connection c = TestDatabase.connect(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs the task on {@code threads} threads that all wait at one latch and start together; answers the
     * results in thread order once every task is done (or fails the test after 60 s).
     */
    protected static <T> List<T> concurrently(int threads, Callable<T> task) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return task.call();
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).as("all threads ready").isTrue();
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Waits until each projection of the tenant has committed the head of its stream and none is rebuilding, as
     * the projection list shows it to an operator; at most 120 s.
     */
    protected void awaitProjectionsCaughtUp(String tenant) {
        awaitProjections(tenant, item -> item.get("lag").asLong() == 0
                && item.get("position").asLong() == item.get("head").asLong()
                && !item.get("rebuilding").asBoolean(), "caught up");
    }

    /**
     * Waits until the tenant's Kafka publisher has committed the head of its stream, as the projection list shows
     * it; at most 120 s. Answers the publisher's entry.
     */
    protected JsonNode awaitPublished(String tenant) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (true) {
            Api.Response list = api.get("/api/v1/" + tenant + "/projections").token(ADMIN).send();
            assertThat(list.status()).as(list.toString()).isEqualTo(200);
            JsonNode kafka = list.body().at("/publishers/0");
            if (kafka.path("lag").asLong(-1) == 0 && kafka.path("position").asLong() == kafka.path("head").asLong()) {
                return kafka;
            }
            assertThat(Instant.now()).as("Kafka publisher of %s caught up: %s", tenant, list).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    /** Waits until every item of the tenant's projection list is {@code done}; at most 120 s. */
    protected void awaitProjections(String tenant, Predicate<JsonNode> done, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (true) {
            Api.Response list = api.get("/api/v1/" + tenant + "/projections").token(ADMIN).send();
            assertThat(list.status()).as(list.toString()).isEqualTo(200);
            boolean all = true;
            for (JsonNode item : list.body().get("items")) {
                all &= done.test(item);
            }
            if (all) {
                return;
            }
            assertThat(Instant.now()).as("projections of %s %s: %s", tenant, what, list).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
