package org.clinical.platform;

import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RejectedCommandsStoreNothingTest extends PlatformTest {

    private final AtomicInteger keys = new AtomicInteger();

    /** Every refused request carries an Idempotency-Key: a refusal must not remember it either. */
    private Api.Response post(String tenant, String token, String path, String json) {
        return api.post("/api/v1/" + tenant + path).token(token)
                .header("Idempotency-Key", "refused-" + keys.incrementAndGet()).json(json).send();
    }

    private record Expected(int status, Api.Response response) {
    }

    @Test
    void a_sequence_of_refused_commands_leaves_events_and_every_lookup_table_unchanged() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-1");
        String merged = newPatient(tenant, "MRN-MERGED");
        String deceased = newPatient(tenant, "MRN-DECEASED");
        String stay = newEncounter(tenant, patient, facility, "IMP");
        String finished = newEncounter(tenant, patient, facility, "AMB");
        String cancelled = newEncounter(tenant, deceased, facility, "AMB");
        String observation = post(tenant, CLINICIAN, "/observations", heartRate(patient, stay, 70))
                .body().get("observationId").asText();
        assertThat(post(tenant, CLINICIAN, "/patients/" + merged + "/merge",
                "{\"survivorId\": \"" + patient + "\"}").status()).isEqualTo(200);
        assertThat(post(tenant, CLINICIAN, "/encounters/" + finished + "/discharge",
                "{\"at\": \"2025-03-01T10:00:00Z\"}").status()).isEqualTo(200);
        assertThat(post(tenant, CLINICIAN, "/encounters/" + cancelled + "/cancel",
                "{\"reason\": \"duplicate\"}").status()).isEqualTo(200);
        assertThat(post(tenant, CLINICIAN, "/patients/" + deceased + "/deceased",
                "{\"deceasedAt\": \"2025-03-02T10:00:00Z\"}").status()).isEqualTo(200);
        assertThat(post(tenant, CLINICIAN, "/observations/" + observation + "/entered-in-error",
                "{\"reason\": \"wrong patient\"}").status()).isEqualTo(200);
        Map<String, Long> before = commandSideCounts(tenant);
        String unknown = UUID.randomUUID().toString();
        String future = Instant.now().plus(1, ChronoUnit.HOURS).toString();

        List<Expected> refused = new ArrayList<>();
        // 400: invalid bodies, times in the future, rule violations of kind "invalid"
        refused.add(new Expected(400, post(tenant, ADMIN, "/facilities", "{\"code\": \"X\", \"type\": \"hangar\"}")));
        refused.add(new Expected(400, post(tenant, CLINICIAN, "/patients", "{\"mrn\": \"MRN-NEW\"}")));
        refused.add(new Expected(400, post(tenant, CLINICIAN, "/patients", """
                {"mrn": "MRN-NEW", "name": {"family": "F"}, "birthDate": "%s", "gender": "male"}"""
                .formatted(LocalDate.now(ZoneOffset.UTC).plusDays(3)))));
        refused.add(new Expected(400, post(tenant, CLINICIAN, "/patients", "{not json")));
        refused.add(new Expected(400, post(tenant, CLINICIAN, "/patients/" + patient + "/deceased",
                "{\"deceasedAt\": \"1901-01-01T00:00:00Z\"}")));
        refused.add(new Expected(400, post(tenant, CLINICIAN, "/encounters", """
                {"patientId": "%s", "class": "AMB", "facilityId": "%s", "startedAt": "%s"}"""
                .formatted(patient, facility, future))));
        refused.add(new Expected(400, post(tenant, CLINICIAN, "/encounters/" + stay + "/discharge",
                "{\"at\": \"2020-01-01T00:00:00Z\"}")));
        refused.add(new Expected(400, post(tenant, CLINICIAN, "/observations",
                heartRate(patient, stay, 70).replace("2025-03-01T09:00:00Z", future))));
        refused.add(new Expected(400, post(tenant, CLINICIAN, "/observations/batch", "{\"observations\": []}")));
        // 404: unknown patient, facility, encounter, observation, survivor
        refused.add(new Expected(404, post(tenant, CLINICIAN, "/encounters", """
                {"patientId": "%s", "class": "AMB", "facilityId": "%s", "startedAt": "2025-03-01T08:00:00Z"}"""
                .formatted(unknown, facility))));
        refused.add(new Expected(404, post(tenant, CLINICIAN, "/encounters", """
                {"patientId": "%s", "class": "AMB", "facilityId": "%s", "startedAt": "2025-03-01T08:00:00Z"}"""
                .formatted(patient, unknown))));
        refused.add(new Expected(404, post(tenant, CLINICIAN, "/encounters/" + unknown + "/cancel",
                "{\"reason\": \"x\"}")));
        refused.add(new Expected(404, post(tenant, CLINICIAN, "/observations/" + unknown + "/amend",
                "{\"value\": {\"boolean\": false}, \"reason\": \"x\"}")));
        refused.add(new Expected(404, post(tenant, CLINICIAN, "/patients/" + patient + "/merge",
                "{\"survivorId\": \"" + unknown + "\"}")));
        refused.add(new Expected(404, post(tenant, CLINICIAN, "/observations/batch", "{\"observations\": ["
                + heartRate(patient, stay, 60) + "," + heartRate(unknown, null, 61) + "]}")));
        // 409: taken MRN and code, merged and deceased patients, second stay, finished and cancelled encounters
        refused.add(new Expected(409, post(tenant, CLINICIAN, "/patients", patientBody("MRN-1"))));
        refused.add(new Expected(409, post(tenant, ADMIN, "/facilities",
                "{\"code\": \"GEN\", \"name\": \"Again\", \"type\": \"clinic\"}")));
        refused.add(new Expected(409, post(tenant, CLINICIAN, "/patients/" + merged + "/merge",
                "{\"survivorId\": \"" + deceased + "\"}")));
        refused.add(new Expected(409, post(tenant, CLINICIAN, "/encounters", """
                {"patientId": "%s", "class": "AMB", "facilityId": "%s", "startedAt": "2025-03-01T08:00:00Z"}"""
                .formatted(deceased, facility))));
        refused.add(new Expected(409, post(tenant, CLINICIAN, "/encounters", """
                {"patientId": "%s", "class": "IMP", "facilityId": "%s", "startedAt": "2025-03-01T08:00:00Z"}"""
                .formatted(patient, facility))));
        refused.add(new Expected(409, post(tenant, CLINICIAN, "/encounters/" + finished + "/cancel",
                "{\"reason\": \"x\"}")));
        refused.add(new Expected(409, post(tenant, CLINICIAN, "/observations", heartRate(deceased, cancelled, 70))));
        refused.add(new Expected(409, post(tenant, CLINICIAN, "/observations/" + observation + "/amend",
                "{\"value\": {\"boolean\": false}, \"reason\": \"x\"}")));
        refused.add(new Expected(409, post(tenant, CLINICIAN, "/observations/batch", "{\"observations\": ["
                + heartRate(patient, stay, 60) + "," + heartRate(patient, cancelled, 61) + "]}")));
        // 412: a stale version
        refused.add(new Expected(412, api.put("/api/v1/" + tenant + "/patients/" + patient + "/demographics")
                .token(CLINICIAN).header("If-Match", "\"7\"").header("Idempotency-Key", "refused-stale").json("""
                        {"name": {"family": "F"}, "birthDate": "1980-12-10", "gender": "female"}""").send()));
        // 403: roles that may not send these commands
        refused.add(new Expected(403, post(tenant, ANALYST, "/patients", patientBody("MRN-NEW"))));
        refused.add(new Expected(403, post(tenant, CLINICIAN, "/facilities",
                "{\"code\": \"NEW\", \"name\": \"New\", \"type\": \"clinic\"}")));
        refused.add(new Expected(403, post(tenant, ANALYST, "/observations", heartRate(patient, stay, 70))));
        refused.add(new Expected(403, post(tenant, ADMIN, "/encounters", """
                {"patientId": "%s", "class": "AMB", "facilityId": "%s", "startedAt": "2025-03-01T08:00:00Z"}"""
                .formatted(patient, facility))));

        // 401: no token, or a malformed one
        refused.add(new Expected(401, api.post("/api/v1/" + tenant + "/patients").json(patientBody("MRN-NEW")).send()));
        refused.add(new Expected(401, api.post("/api/v1/" + tenant + "/patients").token("not-a-jwt")
                .json(patientBody("MRN-NEW")).send()));

        for (Expected expected : refused) {
            assertProblem(expected.response(), expected.status());
        }
        assertThat(commandSideCounts(tenant)).isEqualTo(before);
        assertThat(queryString("select status from " + schema(tenant) + ".patient_registry where patient_id = ?::uuid",
                patient)).isEqualTo("active");
        assertThat(queryString("select status from " + schema(tenant) + ".encounter_registry where encounter_id = ?::uuid",
                stay)).isEqualTo("in-progress");
    }
}
