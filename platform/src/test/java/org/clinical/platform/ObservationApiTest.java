package org.clinical.platform;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ObservationApiTest extends PlatformTest {

    private Api.Response record(String tenant, String json) {
        return api.post("/api/v1/" + tenant + "/observations").token(CLINICIAN).json(json).send();
    }

    private Api.Response batch(String tenant, List<String> observations) {
        return api.post("/api/v1/" + tenant + "/observations/batch").token(CLINICIAN)
                .json("{\"observations\": [" + String.join(",", observations) + "]}").send();
    }

    private Api.Response amend(String tenant, String observationId) {
        return api.post("/api/v1/" + tenant + "/observations/" + observationId + "/amend").token(CLINICIAN).json("""
                {"value": {"quantity": {"value": 72, "unit": "/min"}}, "reason": "transcription error"}""").send();
    }

    private Api.Response enteredInError(String tenant, String observationId) {
        return api.post("/api/v1/" + tenant + "/observations/" + observationId + "/entered-in-error")
                .token(CLINICIAN).json("{\"reason\": \"wrong patient\"}").send();
    }

    /** An observation of the patient with the given value JSON (and optional extra top-level fields). */
    private static String observation(String patientId, String value, String extra) {
        return """
                {"patientId": "%s", "code": {"system": "http://loinc.org", "code": "29463-7", "display": "Body weight"},
                 "category": "vital-signs", "effectiveAt": "2025-03-01T09:00:00Z", "value": %s %s}"""
                .formatted(patientId, value, extra == null ? "" : ", " + extra);
    }

    private static List<String> fields(Api.Response problem) {
        List<String> fields = new ArrayList<>();
        problem.body().get("errors").forEach(error -> fields.add(error.get("field").asText()));
        return fields;
    }

    private static String storedValue(String tenant, String observationId) {
        return queryString("select convert_from(payload, 'UTF8')::jsonb->>'value' from " + schema(tenant)
                + ".domain_event_entry where aggregate_identifier = ? and payload_type = 'ObservationRecorded'",
                observationId);
    }

    private static void assertCreated(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(UUID.fromString(response.body().get("observationId").asText())).isNotNull();
        assertThat(response.body().get("version").asLong()).isEqualTo(1);
        assertThat(response.header("ETag")).isEqualTo("\"1\"");
        assertThat(response.position()).isPositive();
    }

    @Test
    void every_value_kind_is_recorded() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        String encounter = newEncounter(tenant, patient, newFacility(tenant, "GEN"), "AMB");

        Api.Response quantity = record(tenant, heartRate(patient, encounter, 88));
        Api.Response code = record(tenant, observation(patient,
                "{\"code\": {\"system\": \"http://snomed.info/sct\", \"code\": \"260385009\", \"display\": \"Negative\"}}",
                null));
        Api.Response string = record(tenant, observation(patient, "{\"string\": \"clear, pale yellow\"}", null));
        Api.Response bool = record(tenant, observation(patient, "{\"boolean\": true}", null));
        Api.Response panel = record(tenant, """
                {"patientId": "%s", "encounterId": "%s",
                 "code": {"system": "http://loinc.org", "code": "85354-9", "display": "Blood pressure panel"},
                 "category": "vital-signs", "effectiveAt": "2025-03-01T09:05:00Z",
                 "value": {"components": [
                   {"code": {"system": "http://loinc.org", "code": "8480-6", "display": "Systolic"},
                    "value": {"quantity": {"value": 120, "unit": "mm[Hg]"}}},
                   {"code": {"system": "http://loinc.org", "code": "8462-4", "display": "Diastolic"},
                    "value": {"quantity": {"value": 80, "unit": "mm[Hg]"}}}]}}""".formatted(patient, encounter));

        for (Api.Response created : List.of(quantity, code, string, bool, panel)) {
            assertCreated(created);
        }
        assertThat(eventCount(tenant, "ObservationRecorded")).isEqualTo(5);
        assertThat(storedValue(tenant, quantity.body().get("observationId").asText()))
                .contains("\"quantity\"", "\"/min\"", "88");
        assertThat(storedValue(tenant, code.body().get("observationId").asText())).contains("260385009");
        assertThat(storedValue(tenant, string.body().get("observationId").asText())).contains("clear, pale yellow");
        assertThat(storedValue(tenant, bool.body().get("observationId").asText())).contains("\"boolean\": true");
        assertThat(storedValue(tenant, panel.body().get("observationId").asText()))
                .contains("8480-6", "8462-4", "mm[Hg]", "120", "80");
        assertThat(queryString("select convert_from(payload, 'UTF8')::jsonb->>'referenceRange' from " + schema(tenant)
                        + ".domain_event_entry where aggregate_identifier = ?",
                quantity.body().get("observationId").asText())).contains("60", "100");
    }

    @Test
    void a_value_of_two_kinds_or_of_an_unknown_kind_is_refused() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");

        Api.Response twoKinds = record(tenant, observation(patient,
                "{\"string\": \"high\", \"boolean\": true}", null));
        Api.Response unknownKind = record(tenant, observation(patient, "{\"colour\": \"red\"}", null));
        Api.Response noValue = record(tenant, observation(patient, "null", null));

        assertProblem(twoKinds, 400);
        assertThat(fields(twoKinds)).containsExactly("value");
        assertProblem(unknownKind, 400);
        assertThat(fields(unknownKind)).containsExactly("value");
        assertProblem(noValue, 400);
        assertThat(fields(noValue)).containsExactly("value");
        assertThat(eventCount(tenant, "ObservationRecorded")).isZero();
    }

    @Test
    void a_reference_range_on_a_string_value_is_refused() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");

        Api.Response refused = record(tenant, observation(patient, "{\"string\": \"normal\"}",
                "\"referenceRange\": {\"low\": 1, \"high\": 2}"));

        assertProblem(refused, 400);
        assertThat(refused.body().get("type").asText()).contains("reference-range-needs-quantity");
        assertThat(eventCount(tenant, "ObservationRecorded")).isZero();
    }

    @Test
    void an_unknown_field_inside_a_quantity_is_refused_rather_than_dropped() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");

        Api.Response refused = record(tenant, observation(patient,
                "{\"quantity\": {\"value\": 7.2, \"unit\": \"mmol/L\", \"referenceRange\": {\"low\": 4, \"high\": 6}}}",
                null));

        assertProblem(refused, 400);
        assertThat(fields(refused)).singleElement().asString().startsWith("value");
        assertThat(eventCount(tenant, "ObservationRecorded")).isZero();
    }

    @Test
    void a_component_without_a_code_or_a_reversed_reference_range_is_refused() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");

        Api.Response noCode = record(tenant, observation(patient,
                "{\"components\": [{\"value\": {\"quantity\": {\"value\": 120, \"unit\": \"mm[Hg]\"}}}]}", null));
        Api.Response reversed = record(tenant, observation(patient,
                "{\"quantity\": {\"value\": 70, \"unit\": \"kg\"}}", "\"referenceRange\": {\"low\": 90, \"high\": 50}"));

        assertProblem(noCode, 400);
        assertThat(fields(noCode)).containsExactly("value");
        assertProblem(reversed, 400);
        assertThat(fields(reversed)).containsExactly("referenceRange");
        assertThat(eventCount(tenant, "ObservationRecorded")).isZero();
    }

    @Test
    void an_observation_of_a_merged_patient_is_a_conflict() {
        String tenant = newTenant();
        String merged = newPatient(tenant, "MRN-1");
        String survivor = newPatient(tenant, "MRN-2");
        assertThat(api.post("/api/v1/" + tenant + "/patients/" + merged + "/merge").token(CLINICIAN)
                .json("{\"survivorId\": \"" + survivor + "\"}").send().status()).isEqualTo(200);

        Api.Response refused = record(tenant, heartRate(merged, null, 70));

        assertProblem(refused, 409);
        assertThat(refused.body().get("type").asText()).contains("patient-merged");
        assertThat(eventCount(tenant, "ObservationRecorded")).isZero();
    }

    @Test
    void an_observation_of_an_unknown_patient_answers_404() {
        String tenant = newTenant();
        long events = eventCount(tenant);

        Api.Response refused = record(tenant, heartRate(UUID.randomUUID().toString(), null, 70));

        assertProblem(refused, 404);
        assertThat(refused.body().get("type").asText()).contains("patient-not-found");
        assertThat(eventCount(tenant)).isEqualTo(events);
    }

    @Test
    void an_encounter_of_another_patient_is_a_conflict() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-1");
        String other = newPatient(tenant, "MRN-2");
        String othersEncounter = newEncounter(tenant, other, facility, "AMB");

        Api.Response refused = record(tenant, heartRate(patient, othersEncounter, 70));

        assertProblem(refused, 409);
        assertThat(refused.body().get("type").asText()).contains("encounter-of-another-patient");
        assertThat(eventCount(tenant, "ObservationRecorded")).isZero();
    }

    @Test
    void an_observation_on_a_cancelled_encounter_is_a_conflict() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        String encounter = newEncounter(tenant, patient, newFacility(tenant, "GEN"), "AMB");
        Api.Response cancelled = api.post("/api/v1/" + tenant + "/encounters/" + encounter + "/cancel")
                .token(CLINICIAN).json("{\"reason\": \"duplicate\"}").send();
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);

        Api.Response refused = record(tenant, heartRate(patient, encounter, 70));

        assertProblem(refused, 409);
        assertThat(refused.body().get("type").asText()).contains("encounter-cancelled");
        assertThat(eventCount(tenant, "ObservationRecorded")).isZero();
    }

    @Test
    void an_unknown_encounter_answers_404() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");

        Api.Response refused = record(tenant, heartRate(patient, UUID.randomUUID().toString(), 70));

        assertProblem(refused, 404);
        assertThat(refused.body().get("type").asText()).contains("encounter-not-found");
        assertThat(eventCount(tenant, "ObservationRecorded")).isZero();
    }

    @Test
    void an_effective_time_in_the_future_is_refused() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        String future = Instant.now().plus(10, ChronoUnit.MINUTES).toString();

        Api.Response refused = record(tenant, heartRate(patient, null, 70)
                .replace("2025-03-01T09:00:00Z", future));
        Api.Response withinSkew = record(tenant, heartRate(patient, null, 70)
                .replace("2025-03-01T09:00:00Z", Instant.now().plus(1, ChronoUnit.MINUTES).toString()));

        assertProblem(refused, 400);
        assertThat(fields(refused)).containsExactly("effectiveAt");
        assertCreated(withinSkew);
        assertThat(eventCount(tenant, "ObservationRecorded")).isEqualTo(1);
    }

    @Test
    void an_amendment_answers_200_with_version_2() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        Api.Response recorded = record(tenant, heartRate(patient, null, 27));
        String observation = recorded.body().get("observationId").asText();

        Api.Response amended = amend(tenant, observation);

        assertThat(amended.status()).as(amended.toString()).isEqualTo(200);
        assertThat(amended.body().get("observationId").asText()).isEqualTo(observation);
        assertThat(amended.body().get("version").asLong()).isEqualTo(2);
        assertThat(amended.header("ETag")).isEqualTo("\"2\"");
        assertThat(amended.position()).isGreaterThan(recorded.position());
        assertThat(eventCount(tenant, "ObservationAmended")).isEqualTo(1);
    }

    @Test
    void an_observation_recorded_in_a_batch_is_amended_like_any_other() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        Api.Response recorded = batch(tenant, List.of(heartRate(patient, null, 61), heartRate(patient, null, 62)));
        String second = recorded.body().at("/results/1/observationId").asText();

        Api.Response amended = amend(tenant, second);

        assertThat(amended.status()).as(amended.toString()).isEqualTo(200);
        assertThat(amended.body().get("version").asLong()).isEqualTo(2);
        assertThat(queryString("select type from " + schema(tenant) + ".domain_event_entry"
                + " where aggregate_identifier = ? and sequence_number = 0", second)).isEqualTo("Observation");
    }

    @Test
    void an_observation_entered_in_error_takes_no_amendment_and_no_second_mark() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        String observation = record(tenant, heartRate(patient, null, 70)).body().get("observationId").asText();

        Api.Response marked = enteredInError(tenant, observation);
        Api.Response amendment = amend(tenant, observation);
        Api.Response markedAgain = enteredInError(tenant, observation);

        assertThat(marked.status()).as(marked.toString()).isEqualTo(200);
        assertThat(marked.body().get("version").asLong()).isEqualTo(2);
        assertProblem(amendment, 409);
        assertThat(amendment.body().get("type").asText()).contains("observation-entered-in-error");
        assertProblem(markedAgain, 409);
        assertThat(queryLong("select count(*) from " + schema(tenant) + ".domain_event_entry"
                + " where aggregate_identifier = ?", observation)).isEqualTo(2);
    }

    @Test
    void commands_on_an_unknown_observation_answer_404() {
        String tenant = newTenant();
        long events = eventCount(tenant);
        String unknown = UUID.randomUUID().toString();

        assertProblem(amend(tenant, unknown), 404);
        assertProblem(enteredInError(tenant, unknown), 404);
        assertThat(eventCount(tenant)).isEqualTo(events);
    }

    @Test
    void a_batch_answers_201_with_results_in_request_order_and_the_position_of_its_last_event() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        String encounter = newEncounter(tenant, patient, newFacility(tenant, "GEN"), "AMB");

        Api.Response created = batch(tenant, List.of(heartRate(patient, encounter, 61), heartRate(patient, null, 62),
                heartRate(patient, encounter, 63)));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode results = created.body().get("results");
        assertThat(results).hasSize(3);
        List<String> ids = new ArrayList<>();
        for (JsonNode result : results) {
            assertThat(result.get("version").asLong()).isEqualTo(1);
            ids.add(UUID.fromString(result.get("observationId").asText()).toString());
        }
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(created.position()).isEqualTo(queryLong("select max(global_index) from " + schema(tenant)
                + ".domain_event_entry"));
        for (int i = 0; i < 3; i++) {
            assertThat(storedValue(tenant, ids.get(i))).as("observation " + i).contains("6" + (i + 1));
        }
        List<String> stored = queryStrings("select aggregate_identifier from " + schema(tenant)
                + ".domain_event_entry where payload_type = 'ObservationRecorded' order by global_index");
        assertThat(stored).containsExactlyElementsOf(ids);
    }

    @Test
    void a_batch_with_one_refused_observation_stores_nothing_and_names_its_index() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        long events = eventCount(tenant);

        Api.Response refused = batch(tenant, List.of(heartRate(patient, null, 61),
                heartRate(UUID.randomUUID().toString(), null, 62), heartRate(patient, null, 63)));

        assertProblem(refused, 404);
        assertThat(refused.body().get("detail").asText()).contains("observations[1]");
        assertThat(eventCount(tenant)).isEqualTo(events);
    }

    @Test
    void an_empty_batch_or_a_batch_of_1001_is_refused() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        long events = eventCount(tenant);

        Api.Response empty = batch(tenant, List.of());
        Api.Response tooBig = batch(tenant, Collections.nCopies(1001, heartRate(patient, null, 70)));

        assertProblem(empty, 400);
        assertThat(fields(empty)).containsExactly("observations");
        assertProblem(tooBig, 400);
        assertThat(fields(tooBig)).containsExactly("observations");
        assertThat(eventCount(tenant)).isEqualTo(events);
    }

    @Test
    void a_batch_of_1000_is_recorded_in_one_request() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        String encounter = newEncounter(tenant, patient, newFacility(tenant, "GEN"), "IMP");

        Api.Response created = batch(tenant, Collections.nCopies(1000, heartRate(patient, encounter, 70)));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.body().get("results")).hasSize(1000);
        assertThat(eventCount(tenant, "ObservationRecorded")).isEqualTo(1000);
        assertThat(queryLong("select count(distinct aggregate_identifier) from " + schema(tenant)
                + ".domain_event_entry where payload_type = 'ObservationRecorded'")).isEqualTo(1000);
        assertThat(created.position()).isEqualTo(queryLong("select max(global_index) from " + schema(tenant)
                + ".domain_event_entry"));
    }
}
