package org.clinical.platform.fault;

import org.clinical.platform.support.Api;
import org.clinical.platform.support.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fault test: the packaged platform in a child process ({@link FaultPlatform}) with a database
 * ({@link FaultDatabase}) and a redis-server ({@link FaultRedis}) of this test alone, all three gone when the
 * test ends, failed or not. Logs stay under {@code target/fault-tests/<test>/}.
 */
abstract class FaultTest {

    static final String ADMIN = Tokens.token("admin-ops", List.of("admin"), List.of("*"));
    static final String CLINICIAN = Tokens.token("dr-house", List.of("clinician"), List.of("*"));

    FaultDatabase database;
    FaultRedis redis;
    FaultPlatform platform;
    Api api;
    File dir;

    @BeforeEach
    void startPlatform(TestInfo test) {
        dir = new File("target/fault-tests/" + getClass().getSimpleName() + "-"
                + test.getTestMethod().orElseThrow().getName() + "-" + System.currentTimeMillis());
        dir.mkdirs();
        database = FaultDatabase.create();
        redis = new FaultRedis(dir);
        platform = new FaultPlatform(database, platformRedisUrl(), dir);
        api = platform.api;
        Duration startUp = platform.start();
        System.out.println("platform started in " + startUp.toMillis() + " ms, log " + platform.logFile());
    }

    /** The Redis the platform is given: the test's own redis-server, unless a test puts something between. */
    String platformRedisUrl() {
        return redis.url();
    }

    @AfterEach
    void stopPlatform() {
        try {
            if (platform != null) {
                platform.close();
            }
            if (redis != null) {
                redis.close();
            }
        } finally {
            if (database != null) {
                database.drop();
            }
        }
    }

    String newTenant() {
        String id = "f" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Api.Response created = api.post("/api/v1/tenants").token(ADMIN)
                .json(Map.of("id", id, "name", "Hospital " + id, "region", "default")).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return id;
    }

    String newPatient(String tenant, String mrn) {
        Api.Response created = api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN).json("""
                {"mrn": "%s", "name": {"family": "Lovelace", "given": ["Ada"]}, "birthDate": "1980-12-10",
                 "gender": "female"}""".formatted(mrn)).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.body().get("patientId").asText();
    }

    static String heartRate(String patientId, int value) {
        return """
                {"patientId": "%s", "code": {"system": "http://loinc.org", "code": "8867-4", "display": "Heart rate"},
                 "category": "vital-signs", "effectiveAt": "2025-03-01T09:00:00Z",
                 "value": {"quantity": {"value": %d, "unit": "/min"}}, "referenceRange": {"low": 60, "high": 100}}"""
                .formatted(patientId, value);
    }

    static String schema(String tenant) {
        return "t_" + tenant.replace('-', '_');
    }

    /** The schema of the live generation of a projection's read model, e.g. {@code r_acme__observations_1}. */
    String liveSchema(String tenant, String projection) {
        long generation = database.queryLong("select live from " + schema(tenant) + ".projection_generation"
                + " where name = ?", projection);
        return "r_" + tenant.replace('-', '_') + "__" + projection + "_" + generation;
    }

    /** Asserts an answer is problem+json with the status (never a white-label page). */
    static void assertProblem(Api.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
        assertThat(response.body().get("status").asInt()).isEqualTo(status);
    }
}
