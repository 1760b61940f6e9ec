package org.clinical.platform.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.clinical.platform.read.AtPosition;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.clinical.platform.support.Tokens;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An auditor reads the event history over HTTP: a patient's history across its encounters, observations,
 * their corrections and a merge, each event exactly as the tenant's event store holds it, and the tenant's
 * stream with its filters (docs/read-models.md, "audit").
 */
class AuditHistoryTest extends PlatformTest {

    private static final String AUDITOR = Tokens.token("auditor-aud", List.of("auditor"), List.of("*"));
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void a_patients_history_holds_its_encounters_observations_corrections_and_the_patients_merged_into_it()
            throws Exception {
        String tenant = newTenant();
        String facility = newFacility(tenant, "MAIN");
        Api.Response registered = api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN)
                .header("X-Correlation-Id", "audit-test-1").json(patientBody("MRN-1")).send();
        String merged = registered.body().get("patientId").asText();
        String survivor = newPatient(tenant, "MRN-2");
        String encounter = newEncounter(tenant, merged, facility, "AMB");
        String observation = post(tenant, "/observations", heartRate(merged, encounter, 80))
                .body().get("observationId").asText();
        post(tenant, "/observations/" + observation + "/amend",
                "{\"value\": {\"quantity\": {\"value\": 81, \"unit\": \"/min\"}}, \"reason\": \"misread\"}");
        post(tenant, "/observations/" + observation + "/entered-in-error", "{\"reason\": \"wrong device\"}");
        post(tenant, "/encounters/" + encounter + "/discharge", "{\"at\": \"2025-03-02T10:00:00Z\"}");
        post(tenant, "/patients/" + merged + "/merge", "{\"survivorId\": \"" + survivor + "\"}");
        String later = newEncounter(tenant, survivor, facility, "AMB");
        long head = post(tenant, "/patients/" + survivor + "/deceased", "{\"deceasedAt\": \"2025-03-03T10:00:00Z\"}")
                .position();

        List<JsonNode> survivorHistory = all(tenant, "/audit/patients/" + survivor + "/events", head);
        assertThat(survivorHistory).extracting(e -> e.get("type").asText()).containsExactly(
                "PatientRegistered", "PatientRegistered", "EncounterStarted", "ObservationRecorded",
                "ObservationAmended", "ObservationEnteredInError", "PatientDischarged", "PatientMerged",
                "EncounterStarted", "PatientDeceased");
        assertThat(survivorHistory).extracting(e -> e.get("aggregateId").asText()).containsExactly(
                merged, survivor, encounter, observation, observation, observation, encounter, merged, later,
                survivor);
        assertThat(survivorHistory).extracting(e -> e.get("position").asLong()).isSorted();

        List<JsonNode> mergedHistory = all(tenant, "/audit/patients/" + merged + "/events", head);
        assertThat(mergedHistory).extracting(e -> e.get("aggregateId").asText())
                .as("the merged patient's events stay its own").containsExactly(merged, encounter, observation,
                        observation, observation, encounter, merged);

        JsonNode first = survivorHistory.get(0);
        String schema = schema(tenant);
        long position = registered.position();
        assertThat(first.get("position").asLong()).isEqualTo(position);
        assertThat(first.get("eventId").asText()).isEqualTo(queryString(
                "select event_identifier from " + schema + ".domain_event_entry where global_index = ?", position));
        assertThat(first.get("revision").asText()).isEqualTo("2");
        assertThat(first.get("aggregateType").asText()).isEqualTo("Patient");
        assertThat(first.get("sequence").asLong()).isZero();
        assertThat(first.get("recordedAt").asText()).isEqualTo(queryString(
                "select time_stamp from " + schema + ".domain_event_entry where global_index = ?", position))
                .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z");
        assertThat(first.get("actor").asText()).isEqualTo("dr-house");
        assertThat(first.get("correlationId").asText()).isEqualTo("audit-test-1");
        assertThat(first.get("causationId").asText()).isNotBlank();
        assertThat(first.get("payload")).isEqualTo(JSON.readTree(queryString(
                "select convert_from(payload, 'UTF8') from " + schema + ".domain_event_entry where global_index = ?",
                position)));
        assertThat(first.at("/payload/mrn").asText()).isEqualTo("MRN-1");
    }

    @Test
    void the_tenants_stream_is_filtered_by_type_aggregate_actor_and_time() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "MAIN");
        String patient = newPatient(tenant, "MRN-1");
        String encounter = newEncounter(tenant, patient, facility, "AMB");
        long head = post(tenant, "/encounters/" + encounter + "/discharge", "{\"at\": \"2025-03-02T10:00:00Z\"}")
                .position();

        assertThat(all(tenant, "/audit/events", head)).extracting(e -> e.get("type").asText()).containsExactly(
                "TenantCreated", "FacilityRegistered", "PatientRegistered", "EncounterStarted", "PatientDischarged");
        assertThat(all(tenant, "/audit/events?aggregateId=" + encounter, head))
                .extracting(e -> e.get("type").asText()).containsExactly("EncounterStarted", "PatientDischarged");
        assertThat(all(tenant, "/audit/events?type=PatientRegistered", head))
                .extracting(e -> e.get("aggregateId").asText()).containsExactly(patient);
        assertThat(all(tenant, "/audit/events?actor=dr-house", head)).hasSize(3);
        assertThat(all(tenant, "/audit/events?from=2000-01-01T00:00:00Z&to=2000-12-31T00:00:00Z", head)).isEmpty();
        assertThat(all(tenant, "/audit/events?from=2000-01-01T00:00:00Z", head)).hasSize(5);
    }

    @Test
    void with_accept_ndjson_every_matching_event_streams_one_json_object_per_line_as_the_pages_answer_it()
            throws Exception {
        String tenant = newTenant();
        String facility = newFacility(tenant, "MAIN");
        String patient = newPatient(tenant, "MRN-1");
        String encounter = newEncounter(tenant, patient, facility, "AMB");
        long head = post(tenant, "/encounters/" + encounter + "/discharge", "{\"at\": \"2025-03-02T10:00:00Z\"}")
                .position();

        for (String path : List.of("/audit/events", "/audit/events?type=PatientRegistered",
                "/audit/patients/" + patient + "/events")) {
            List<JsonNode> pages = all(tenant, path, head);
            Api.Response streamed = api.get("/api/v1/" + tenant + path).token(AUDITOR)
                    .header("Accept", "application/x-ndjson").header("X-Min-Position", Long.toString(head)).send();
            assertThat(streamed.status()).as(streamed.toString()).isEqualTo(200);
            assertThat(streamed.contentType()).startsWith("application/x-ndjson");
            List<JsonNode> lines = new ArrayList<>();
            for (String line : streamed.raw().body().split("\n")) {
                lines.add(JSON.readTree(line));
            }
            assertThat(lines).as(path).isEqualTo(pages);
        }
        String after = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Long.toString(head - 1).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(api.get("/api/v1/" + tenant + "/audit/events?cursor=" + after).token(AUDITOR)
                .header("Accept", "application/x-ndjson").send().raw().body().strip().split("\n")).hasSize(1);
        assertProblem(api.get("/api/v1/" + tenant + "/audit/patients/" + java.util.UUID.randomUUID() + "/events")
                .token(AUDITOR).header("Accept", "application/x-ndjson").send(), 404);
        assertProblem(api.get("/api/v1/" + tenant + "/audit/events").token(CLINICIAN)
                .header("Accept", "application/x-ndjson").send(), 403);
    }

    @Test
    void only_auditors_read_the_history_and_bad_parameters_and_unknown_patients_are_refused() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        String path = "/api/v1/" + tenant + "/audit/patients/" + patient + "/events";

        assertProblem(api.get(path).token(CLINICIAN).send(), 403);
        assertProblem(api.get("/api/v1/" + tenant + "/audit/events").token(ANALYST).send(), 403);
        assertBadParameter(api.get("/api/v1/" + tenant + "/audit/events?from=yesterday").token(AUDITOR).send(),
                "from");
        assertProblem(api.get("/api/v1/" + tenant + "/audit/patients/" + java.util.UUID.randomUUID() + "/events")
                .token(AUDITOR).send(), 404);
    }

    /** Every item of the list, page by page (a page of 3), read at the position. */
    private List<JsonNode> all(String tenant, String path, long position) {
        List<JsonNode> items = new ArrayList<>();
        String separator = path.contains("?") ? "&" : "?";
        String cursor = null;
        do {
            Api.Response page = AtPosition.get(api, "/api/v1/" + tenant + path + separator + "limit=3"
                    + (cursor == null ? "" : "&cursor=" + cursor), AUDITOR, position);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.body().get("items").forEach(items::add);
            cursor = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asText();
        } while (cursor != null);
        return items;
    }

    private Api.Response post(String tenant, String path, String body) {
        Api.Response response = api.post("/api/v1/" + tenant + path).token(CLINICIAN).json(body).send();
        assertThat(response.status()).as(response.toString()).isIn(200, 201);
        return response;
    }
}
