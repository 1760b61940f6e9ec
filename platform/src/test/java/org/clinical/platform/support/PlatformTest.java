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
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole platform on a random port, against the machine's PostgreSQL (a database of its own for this test
 * run), Redis and an in-process Kafka broker; requests carry real signed tokens.
 */
@SpringBootTest(classes = ClinicalPlatformApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class PlatformTest {

    protected static final String ADMIN = Tokens.token("admin-ops", List.of("admin"), List.of("*"));
    protected static final String CLINICIAN = Tokens.token("dr-house", List.of("clinician"), List.of("*"));
    protected static final String ANALYST = Tokens.token("analyst-ann", List.of("analyst"), List.of("*"));

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
        registry.add("clinical.jwt.secret", () -> Tokens.SECRET);
        registry.add("clinical.kafka.embedded-port", () -> "0");
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
}
