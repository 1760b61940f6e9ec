package org.clinical.platform.read.patient;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.platform.read.AtPosition;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The patient summary reflects every patient event right after the command, when the client passes the
 * command's position back as {@code X-Min-Position}.
 */
class PatientReadApiTest extends PlatformTest {

    static final String MULLER = """
            {"mrn": "%s", "name": {"family": "Müller-Lüdenscheidt", "given": ["Jean Luc", "Zoë"]},
             "birthDate": "1961-04-02", "gender": "male",
             "identifiers": [{"system": "urn:oid:2.16.756.5.32", "value": "756.1234.5678.97"}],
             "telecom": [{"system": "phone", "value": "+41 44 123 45 67", "use": "home"}],
             "address": {"line": ["Bahnhofstrasse 1"], "city": "Zürich", "postalCode": "8001", "country": "CH"}}""";

    @Test
    void a_registered_patient_reads_back_with_all_demographics_right_after_the_command() {
        String tenant = newTenant();
        Api.Response registered = post(tenant, "/patients", MULLER.formatted("MRN-1"));
        String id = registered.body().get("patientId").asText();

        Api.Response read = summary(tenant, id, registered.position());

        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.header("ETag")).isEqualTo("\"1\"");
        JsonNode body = read.body();
        assertThat(body.get("patientId").asText()).isEqualTo(id);
        assertThat(body.get("mrn").asText()).isEqualTo("MRN-1");
        assertThat(body.at("/name/family").asText()).isEqualTo("Müller-Lüdenscheidt");
        assertThat(body.at("/name/given").toString()).isEqualTo("[\"Jean Luc\",\"Zoë\"]");
        assertThat(body.get("birthDate").asText()).isEqualTo("1961-04-02");
        assertThat(body.get("gender").asText()).isEqualTo("male");
        assertThat(body.get("active").asBoolean()).isTrue();
        assertThat(body.get("deceasedAt").isNull()).isTrue();
        assertThat(body.get("mergedInto").isNull()).isTrue();
        assertThat(body.at("/identifiers/0/value").asText()).isEqualTo("756.1234.5678.97");
        assertThat(body.at("/telecom/0/use").asText()).isEqualTo("home");
        assertThat(body.at("/address/city").asText()).isEqualTo("Zürich");
        assertThat(body.get("version").asLong()).isEqualTo(1);
        assertThat(body.has("openEncounter")).isTrue();
        assertThat(body.get("openEncounter").isNull()).as("no encounter yet").isTrue();
        assertThat(body.get("latestVitals").isArray()).isTrue();
        assertThat(body.get("latestVitals")).as("no vital sign yet").isEmpty();
    }

    @Test
    void corrected_demographics_merge_and_death_show_in_the_summary_at_once() {
        String tenant = newTenant();
        Api.Response registered = post(tenant, "/patients", MULLER.formatted("MRN-1"));
        String id = registered.body().get("patientId").asText();
        assertThat(summary(tenant, id, registered.position()).body().get("version").asLong()).isEqualTo(1);

        Api.Response updated = api.put("/api/v1/" + tenant + "/patients/" + id + "/demographics").token(CLINICIAN)
                .json("""
                        {"name": {"family": "Curie", "given": ["Marie"]}, "birthDate": "1967-11-07",
                         "gender": "female"}""").send();
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        JsonNode afterUpdate = summary(tenant, id, updated.position()).body();
        assertThat(afterUpdate.at("/name/family").asText()).isEqualTo("Curie");
        assertThat(afterUpdate.get("birthDate").asText()).isEqualTo("1967-11-07");
        assertThat(afterUpdate.get("gender").asText()).isEqualTo("female");
        assertThat(afterUpdate.get("identifiers").size()).isZero();
        assertThat(afterUpdate.get("address").isNull()).isTrue();
        assertThat(afterUpdate.get("version").asLong()).isEqualTo(2);

        Api.Response died = post(tenant, "/patients/" + id + "/deceased", "{\"deceasedAt\": \"2025-01-02T03:04:05Z\"}");
        JsonNode afterDeath = summary(tenant, id, died.position()).body();
        assertThat(afterDeath.get("deceasedAt").asText()).isEqualTo("2025-01-02T03:04:05Z");
        assertThat(afterDeath.get("version").asLong()).isEqualTo(3);

        String survivor = newPatient(tenant, "MRN-2");
        Api.Response merged = post(tenant, "/patients/" + id + "/merge", "{\"survivorId\": \"" + survivor + "\"}");
        Api.Response afterMerge = summary(tenant, id, merged.position());
        assertThat(afterMerge.status()).isEqualTo(200);
        assertThat(afterMerge.body().get("mergedInto").asText()).isEqualTo(survivor);
        assertThat(afterMerge.body().get("active").asBoolean()).isFalse();
        assertThat(afterMerge.header("ETag")).isEqualTo("\"4\"");
        assertThat(summary(tenant, survivor, merged.position()).body().get("active").asBoolean()).isTrue();
    }

    @Test
    void the_etag_is_the_record_version_that_if_match_takes() {
        String tenant = newTenant();
        Api.Response registered = post(tenant, "/patients", patientBody("MRN-1"));
        String id = registered.body().get("patientId").asText();
        String etag = summary(tenant, id, registered.position()).header("ETag");
        assertThat(etag).isEqualTo(registered.header("ETag")).isEqualTo("\"1\"");

        Api.Response died = api.post("/api/v1/" + tenant + "/patients/" + id + "/deceased").token(CLINICIAN)
                .header("If-Match", etag).json("{\"deceasedAt\": \"2025-01-02T03:04:05Z\"}").send();
        assertThat(died.status()).as(died.toString()).isEqualTo(200);
        Api.Response changed = summary(tenant, id, died.position());
        assertThat(changed.header("ETag")).isEqualTo(died.header("ETag")).isEqualTo("\"2\"");
    }

    @Test
    void the_latest_vitals_of_a_patient_are_a_list_and_unknown_patients_answer_404() {
        String tenant = newTenant();
        Api.Response registered = post(tenant, "/patients", patientBody("MRN-1"));
        String id = registered.body().get("patientId").asText();

        Api.Response vitals = AtPosition.get(api, "/api/v1/" + tenant + "/patients/" + id + "/vitals/latest",
                CLINICIAN, registered.position());
        assertThat(vitals.status()).as(vitals.toString()).isEqualTo(200);
        assertThat(vitals.body().get("items").isArray()).isTrue();
        assertThat(vitals.body().get("items")).as("no vital sign yet").isEmpty();

        assertProblem(api.get("/api/v1/" + tenant + "/patients/" + UUID.randomUUID() + "/vitals/latest")
                .token(CLINICIAN).send(), 404);
        assertProblem(api.get("/api/v1/" + tenant + "/patients/" + UUID.randomUUID()).token(CLINICIAN).send(), 404);
        assertProblem(api.get("/api/v1/" + tenant + "/patients/not-a-uuid").token(CLINICIAN).send(), 404);
    }

    @Test
    void another_tenant_never_sees_the_patient() {
        String tenant = newTenant();
        String other = newTenant();
        Api.Response registered = post(tenant, "/patients", MULLER.formatted("MRN-1"));
        String id = registered.body().get("patientId").asText();
        assertThat(summary(tenant, id, registered.position()).status()).isEqualTo(200);

        assertProblem(api.get("/api/v1/" + other + "/patients/" + id).token(CLINICIAN).send(), 404);
        assertProblem(api.get("/api/v1/" + other + "/patients/" + id + "/vitals/latest").token(CLINICIAN).send(), 404);
        Api.Response search = api.get("/api/v1/" + other + "/patients?name=muller").token(CLINICIAN).send();
        assertThat(search.status()).isEqualTo(200);
        assertThat(search.body().get("items").size()).isZero();
        Api.Response all = api.get("/api/v1/" + other + "/patients").token(CLINICIAN).send();
        assertThat(all.body().get("items").size()).isZero();
    }

    private Api.Response post(String tenant, String path, String body) {
        Api.Response response = api.post("/api/v1/" + tenant + path).token(CLINICIAN).json(body).send();
        assertThat(response.status()).as(response.toString()).isIn(200, 201);
        return response;
    }

    private Api.Response summary(String tenant, String id, long position) {
        return AtPosition.get(api, "/api/v1/" + tenant + "/patients/" + id, CLINICIAN, position);
    }
}
