package org.clinical.platform;

import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyApiTest extends PlatformTest {

    private Api.Response register(String tenant, String key, String mrn) {
        return api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN).header("Idempotency-Key", key)
                .json(patientBody(mrn)).send();
    }

    private Api.Response recordHeartRate(String tenant, String key, String patientId) {
        return api.post("/api/v1/" + tenant + "/observations").token(CLINICIAN).header("Idempotency-Key", key)
                .json(heartRate(patientId, null, 70)).send();
    }

    @Test
    void the_same_key_and_body_twice_answers_the_first_response_again_and_appends_one_event() {
        String tenant = newTenant();

        Api.Response first = register(tenant, "register-ada-1", "MRN-1");
        Api.Response retry = register(tenant, "register-ada-1", "MRN-1");

        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(retry.status()).as(retry.toString()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.body().get("patientId").asText()).isEqualTo(first.body().get("patientId").asText());
        assertThat(retry.header("X-Event-Position")).isEqualTo(first.header("X-Event-Position"));
        assertThat(retry.header("ETag")).isEqualTo(first.header("ETag"));
        assertThat(eventCount(tenant, "PatientRegistered")).isEqualTo(1);
        assertThat(rowCount(tenant, "patient_registry")).isEqualTo(1);
        assertThat(rowCount(tenant, "idempotency_key")).isEqualTo(1);
    }

    @Test
    void the_same_key_with_a_different_body_answers_422_and_appends_nothing() {
        String tenant = newTenant();
        Api.Response first = register(tenant, "key-1", "MRN-1");
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        long events = eventCount(tenant);

        Api.Response reused = register(tenant, "key-1", "MRN-2");

        assertProblem(reused, 422);
        assertThat(reused.body().get("type").asText()).contains("idempotency-key-reused");
        assertThat(eventCount(tenant)).isEqualTo(events);
        assertThat(rowCount(tenant, "patient_registry")).isEqualTo(1);
    }

    @Test
    void the_same_key_in_two_tenants_is_independent() {
        String tenant = newTenant();
        String other = newTenant();

        Api.Response here = register(tenant, "shared-key", "MRN-1");
        Api.Response there = register(other, "shared-key", "MRN-1");
        Api.Response thereWithAnotherBody = register(other, "shared-key", "MRN-2");

        assertThat(here.status()).as(here.toString()).isEqualTo(201);
        assertThat(there.status()).as(there.toString()).isEqualTo(201);
        assertThat(there.body().get("patientId").asText()).isNotEqualTo(here.body().get("patientId").asText());
        assertProblem(thereWithAnotherBody, 422);
        assertThat(eventCount(tenant, "PatientRegistered")).isEqualTo(1);
        assertThat(eventCount(other, "PatientRegistered")).isEqualTo(1);
    }

    @Test
    void the_same_key_on_another_endpoint_is_a_different_request() {
        String tenant = newTenant();
        assertThat(register(tenant, "k-1", "MRN-1").status()).isEqualTo(201);

        Api.Response facility = api.post("/api/v1/" + tenant + "/facilities").token(ADMIN)
                .header("Idempotency-Key", "k-1").json(Map.of("code", "GEN", "name", "G", "type", "lab")).send();

        assertProblem(facility, 422);
        assertThat(rowCount(tenant, "facility_registry")).isZero();
        assertThat(eventCount(tenant, "FacilityRegistered")).isZero();
    }

    @Test
    void a_malformed_key_is_refused() {
        String tenant = newTenant();

        Api.Response tooLong = register(tenant, "k".repeat(256), "MRN-1");

        assertProblem(tooLong, 400);
        assertThat(tooLong.body().get("errors").get(0).get("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(eventCount(tenant, "PatientRegistered")).isZero();
        assertThat(register(tenant, "k".repeat(255), "MRN-1").status()).isEqualTo(201);
    }

    @Test
    void a_replayed_batch_answers_the_same_results_and_records_nothing_more() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        String body = "{\"observations\": [" + heartRate(patient, null, 70) + "," + heartRate(patient, null, 71) + "]}";

        Api.Response first = api.post("/api/v1/" + tenant + "/observations/batch").token(CLINICIAN)
                .header("Idempotency-Key", "batch-1").json(body).send();
        Api.Response retry = api.post("/api/v1/" + tenant + "/observations/batch").token(CLINICIAN)
                .header("Idempotency-Key", "batch-1").json(body).send();

        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.position()).isEqualTo(first.position());
        assertThat(eventCount(tenant, "ObservationRecorded")).isEqualTo(2);
    }

    @Test
    void a_refused_command_does_not_consume_its_key() {
        String tenant = newTenant();
        newPatient(tenant, "MRN-1");

        Api.Response refused = register(tenant, "retry-me", "MRN-1");
        Api.Response retried = register(tenant, "retry-me", "MRN-2");

        assertProblem(refused, 409);
        assertThat(retried.status()).as(retried.toString()).isEqualTo(201);
        assertThat(eventCount(tenant, "PatientRegistered")).isEqualTo(2);
    }

    @Test
    void concurrent_registrations_with_the_same_key_and_body_all_get_the_same_answer_and_store_one_event() {
        String tenant = newTenant();

        List<Api.Response> responses = concurrently(8, () -> register(tenant, "concurrent-key", "MRN-1"));

        Api.Response first = responses.get(0);
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        for (Api.Response response : responses) {
            assertThat(response.status()).as(response.toString()).isEqualTo(201);
            assertThat(response.body()).isEqualTo(first.body());
            assertThat(response.header("X-Event-Position")).isEqualTo(first.header("X-Event-Position"));
        }
        assertThat(eventCount(tenant, "PatientRegistered")).isEqualTo(1);
        assertThat(rowCount(tenant, "patient_registry")).isEqualTo(1);
        assertThat(rowCount(tenant, "idempotency_key")).isEqualTo(1);
    }

    @Test
    void concurrent_observations_with_the_same_key_and_body_all_get_the_same_answer_and_store_one_event() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");

        List<Api.Response> responses = concurrently(8, () -> recordHeartRate(tenant, "vitals-0900", patient));

        Api.Response first = responses.get(0);
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        for (Api.Response response : responses) {
            assertThat(response.status()).as(response.toString()).isEqualTo(201);
            assertThat(response.body()).isEqualTo(first.body());
            assertThat(response.header("X-Event-Position")).isEqualTo(first.header("X-Event-Position"));
        }
        assertThat(eventCount(tenant, "ObservationRecorded")).isEqualTo(1);
        assertThat(rowCount(tenant, "idempotency_key")).isEqualTo(1);
    }
}
