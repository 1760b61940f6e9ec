package org.clinical.platform;

import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class EncounterApiTest extends PlatformTest {

    private Api.Response command(String tenant, String encounterId, String action, String json, String ifMatch) {
        Api.Call call = api.post("/api/v1/" + tenant + "/encounters/" + encounterId + "/" + action).token(CLINICIAN)
                .json(json);
        if (ifMatch != null) {
            call.header("If-Match", ifMatch);
        }
        return call.send();
    }

    private Api.Response transfer(String tenant, String encounterId, String location, String at) {
        return command(tenant, encounterId, "transfer",
                "{\"location\": \"" + location + "\", \"at\": \"" + at + "\"}", null);
    }

    private Api.Response discharge(String tenant, String encounterId, String at) {
        return command(tenant, encounterId, "discharge", "{\"at\": \"" + at + "\", \"disposition\": \"home\"}", null);
    }

    private Api.Response cancel(String tenant, String encounterId) {
        return command(tenant, encounterId, "cancel", "{\"reason\": \"entered for the wrong patient\"}", null);
    }

    private static String status(String tenant, String encounterId) {
        return queryString("select status from " + schema(tenant) + ".encounter_registry where encounter_id = ?::uuid",
                encounterId);
    }

    private static long encounterEvents(String tenant, String encounterId) {
        return queryLong("select count(*) from " + schema(tenant) + ".domain_event_entry where aggregate_identifier = ?",
                encounterId);
    }

    @Test
    void starting_an_encounter_answers_201_with_its_id_and_version() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-1");

        Api.Response started = startEncounter(tenant, patient, facility, "IMP");

        assertThat(started.status()).as(started.toString()).isEqualTo(201);
        String encounterId = started.body().get("encounterId").asText();
        assertThat(UUID.fromString(encounterId)).isNotNull();
        assertThat(started.body().get("version").asLong()).isEqualTo(1);
        assertThat(started.header("ETag")).isEqualTo("\"1\"");
        assertThat(started.position()).isEqualTo(queryLong("select global_index from " + schema(tenant)
                + ".domain_event_entry where aggregate_identifier = ?", encounterId));
        assertThat(eventCount(tenant, "EncounterStarted")).isEqualTo(1);
        assertThat(status(tenant, encounterId)).isEqualTo("in-progress");
    }

    @Test
    void an_unknown_patient_or_facility_answers_404() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-1");
        long events = eventCount(tenant);

        Api.Response unknownPatient = startEncounter(tenant, UUID.randomUUID().toString(), facility, "AMB");
        Api.Response unknownFacility = startEncounter(tenant, patient, UUID.randomUUID().toString(), "AMB");

        assertProblem(unknownPatient, 404);
        assertThat(unknownPatient.body().get("type").asText()).contains("patient-not-found");
        assertProblem(unknownFacility, 404);
        assertThat(unknownFacility.body().get("type").asText()).contains("facility-not-found");
        assertThat(eventCount(tenant)).isEqualTo(events);
        assertThat(rowCount(tenant, "encounter_registry")).isZero();
    }

    @Test
    void a_second_open_inpatient_stay_is_a_conflict_but_a_second_ambulatory_visit_is_fine() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-1");
        newEncounter(tenant, patient, facility, "IMP");

        Api.Response secondStay = startEncounter(tenant, patient, facility, "IMP");
        Api.Response firstVisit = startEncounter(tenant, patient, facility, "AMB");
        Api.Response secondVisit = startEncounter(tenant, patient, facility, "AMB");

        assertProblem(secondStay, 409);
        assertThat(secondStay.body().get("type").asText()).contains("already-inpatient");
        assertThat(firstVisit.status()).as(firstVisit.toString()).isEqualTo(201);
        assertThat(secondVisit.status()).as(secondVisit.toString()).isEqualTo(201);
        assertThat(eventCount(tenant, "EncounterStarted")).isEqualTo(3);
    }

    @Test
    void after_discharge_a_new_inpatient_stay_is_allowed() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-1");
        String stay = newEncounter(tenant, patient, facility, "IMP");
        assertThat(discharge(tenant, stay, "2025-03-05T10:00:00Z").status()).isEqualTo(200);

        Api.Response readmission = startEncounter(tenant, patient, facility, "IMP");

        assertThat(readmission.status()).as(readmission.toString()).isEqualTo(201);
        assertThat(eventCount(tenant, "EncounterStarted")).isEqualTo(2);
    }

    @Test
    void a_transfer_answers_200_with_version_2() {
        String tenant = newTenant();
        String encounter = newEncounter(tenant, newPatient(tenant, "MRN-1"), newFacility(tenant, "GEN"), "IMP");

        Api.Response transferred = transfer(tenant, encounter, "ICU bed 4", "2025-03-01T12:00:00Z");

        assertThat(transferred.status()).as(transferred.toString()).isEqualTo(200);
        assertThat(transferred.body().get("encounterId").asText()).isEqualTo(encounter);
        assertThat(transferred.body().get("version").asLong()).isEqualTo(2);
        assertThat(transferred.header("ETag")).isEqualTo("\"2\"");
        assertThat(transferred.position()).isEqualTo(queryLong("select max(global_index) from " + schema(tenant)
                + ".domain_event_entry"));
        assertThat(eventCount(tenant, "PatientTransferred")).isEqualTo(1);
    }

    @Test
    void a_discharge_answers_200_and_a_second_discharge_is_a_conflict() {
        String tenant = newTenant();
        String encounter = newEncounter(tenant, newPatient(tenant, "MRN-1"), newFacility(tenant, "GEN"), "IMP");

        Api.Response discharged = discharge(tenant, encounter, "2025-03-05T10:00:00Z");
        Api.Response again = discharge(tenant, encounter, "2025-03-06T10:00:00Z");

        assertThat(discharged.status()).as(discharged.toString()).isEqualTo(200);
        assertThat(discharged.body().get("version").asLong()).isEqualTo(2);
        assertThat(status(tenant, encounter)).isEqualTo("finished");
        assertProblem(again, 409);
        assertThat(again.body().get("type").asText()).contains("encounter-not-in-progress");
        assertThat(eventCount(tenant, "PatientDischarged")).isEqualTo(1);
    }

    @Test
    void a_discharge_before_the_start_is_refused() {
        String tenant = newTenant();
        String encounter = newEncounter(tenant, newPatient(tenant, "MRN-1"), newFacility(tenant, "GEN"), "IMP");

        Api.Response refused = discharge(tenant, encounter, "2025-03-01T08:14:59Z");

        assertProblem(refused, 400);
        assertThat(refused.body().get("type").asText()).contains("discharge-before-start");
        assertThat(encounterEvents(tenant, encounter)).isEqualTo(1);
        assertThat(status(tenant, encounter)).isEqualTo("in-progress");
    }

    @Test
    void a_transfer_after_discharge_is_a_conflict() {
        String tenant = newTenant();
        String encounter = newEncounter(tenant, newPatient(tenant, "MRN-1"), newFacility(tenant, "GEN"), "IMP");
        assertThat(discharge(tenant, encounter, "2025-03-05T10:00:00Z").status()).isEqualTo(200);

        Api.Response refused = transfer(tenant, encounter, "Ward 2", "2025-03-05T11:00:00Z");

        assertProblem(refused, 409);
        assertThat(refused.body().get("type").asText()).contains("encounter-not-in-progress");
        assertThat(encounterEvents(tenant, encounter)).isEqualTo(2);
    }

    @Test
    void an_encounter_in_progress_can_be_cancelled() {
        String tenant = newTenant();
        String encounter = newEncounter(tenant, newPatient(tenant, "MRN-1"), newFacility(tenant, "GEN"), "AMB");

        Api.Response cancelled = cancel(tenant, encounter);

        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.body().get("version").asLong()).isEqualTo(2);
        assertThat(status(tenant, encounter)).isEqualTo("cancelled");
        assertThat(eventCount(tenant, "EncounterCancelled")).isEqualTo(1);
    }

    @Test
    void a_finished_encounter_cannot_be_cancelled() {
        String tenant = newTenant();
        String encounter = newEncounter(tenant, newPatient(tenant, "MRN-1"), newFacility(tenant, "GEN"), "AMB");
        assertThat(discharge(tenant, encounter, "2025-03-01T09:00:00Z").status()).isEqualTo(200);

        Api.Response refused = cancel(tenant, encounter);

        assertProblem(refused, 409);
        assertThat(refused.body().get("type").asText()).contains("encounter-finished");
        assertThat(eventCount(tenant, "EncounterCancelled")).isZero();
        assertThat(status(tenant, encounter)).isEqualTo("finished");
    }

    @Test
    void a_start_in_the_future_is_refused() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-1");

        Api.Response refused = api.post("/api/v1/" + tenant + "/encounters").token(CLINICIAN).json("""
                {"patientId": "%s", "class": "AMB", "facilityId": "%s", "startedAt": "%s"}"""
                .formatted(patient, facility, Instant.now().plus(10, ChronoUnit.MINUTES))).send();

        assertProblem(refused, 400);
        assertThat(refused.body().get("errors").get(0).get("field").asText()).isEqualTo("startedAt");
        assertThat(eventCount(tenant, "EncounterStarted")).isZero();
    }

    @Test
    void an_unknown_encounter_class_is_refused() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-1");

        Api.Response refused = startEncounter(tenant, patient, facility, "XYZ");

        assertProblem(refused, 400);
        assertThat(refused.body().get("errors").get(0).get("field").asText()).isEqualTo("class");
        assertThat(eventCount(tenant, "EncounterStarted")).isZero();
    }

    @Test
    void a_stale_if_match_answers_412_and_appends_nothing() {
        String tenant = newTenant();
        String encounter = newEncounter(tenant, newPatient(tenant, "MRN-1"), newFacility(tenant, "GEN"), "IMP");
        assertThat(transfer(tenant, encounter, "Ward 2", "2025-03-01T10:00:00Z").status()).isEqualTo(200);

        Api.Response stale = command(tenant, encounter, "discharge", "{\"at\": \"2025-03-02T10:00:00Z\"}", "\"1\"");
        Api.Response current = command(tenant, encounter, "discharge", "{\"at\": \"2025-03-02T10:00:00Z\"}", "\"2\"");

        assertProblem(stale, 412);
        assertThat(current.status()).as(current.toString()).isEqualTo(200);
        assertThat(current.header("ETag")).isEqualTo("\"3\"");
        assertThat(encounterEvents(tenant, encounter)).isEqualTo(3);
    }

    @Test
    void a_transfer_or_discharge_in_the_future_is_refused() {
        String tenant = newTenant();
        String encounter = newEncounter(tenant, newPatient(tenant, "MRN-1"), newFacility(tenant, "GEN"), "IMP");
        String future = Instant.now().plus(1, ChronoUnit.HOURS).toString();

        Api.Response transfer = transfer(tenant, encounter, "Ward 2", future);
        Api.Response discharge = discharge(tenant, encounter, future);

        assertProblem(transfer, 400);
        assertThat(transfer.body().get("errors").get(0).get("field").asText()).isEqualTo("at");
        assertProblem(discharge, 400);
        assertThat(discharge.body().get("errors").get(0).get("field").asText()).isEqualTo("at");
        assertThat(encounterEvents(tenant, encounter)).isEqualTo(1);
        assertThat(status(tenant, encounter)).isEqualTo("in-progress");
    }

    @Test
    void a_transfer_before_the_start_is_refused() {
        String tenant = newTenant();
        String encounter = newEncounter(tenant, newPatient(tenant, "MRN-1"), newFacility(tenant, "GEN"), "IMP");

        Api.Response refused = transfer(tenant, encounter, "Ward 2", "2025-02-28T08:15:00Z");

        assertProblem(refused, 400);
        assertThat(refused.body().get("type").asText()).contains("transfer-before-start");
        assertThat(encounterEvents(tenant, encounter)).isEqualTo(1);
    }

    @Test
    void a_cancelled_encounter_takes_no_second_cancel_nor_transfer() {
        String tenant = newTenant();
        String encounter = newEncounter(tenant, newPatient(tenant, "MRN-1"), newFacility(tenant, "GEN"), "IMP");
        assertThat(cancel(tenant, encounter).status()).isEqualTo(200);

        Api.Response cancelAgain = cancel(tenant, encounter);
        Api.Response transfer = transfer(tenant, encounter, "Ward 2", "2025-03-01T10:00:00Z");

        assertProblem(cancelAgain, 409);
        assertProblem(transfer, 409);
        assertThat(encounterEvents(tenant, encounter)).isEqualTo(2);
    }

    @Test
    void a_weak_etag_in_if_match_is_accepted() {
        String tenant = newTenant();
        String encounter = newEncounter(tenant, newPatient(tenant, "MRN-1"), newFacility(tenant, "GEN"), "IMP");

        Api.Response transferred = command(tenant, encounter, "transfer",
                "{\"location\": \"Ward 2\", \"at\": \"2025-03-01T10:00:00Z\"}", "W/\"1\"");

        assertThat(transferred.status()).as(transferred.toString()).isEqualTo(200);
        assertThat(transferred.header("ETag")).isEqualTo("\"2\"");
    }

    @Test
    void commands_on_an_unknown_encounter_answer_404() {
        String tenant = newTenant();
        long events = eventCount(tenant);
        String unknown = UUID.randomUUID().toString();

        assertProblem(transfer(tenant, unknown, "Ward 2", "2025-03-01T10:00:00Z"), 404);
        assertProblem(discharge(tenant, unknown, "2025-03-01T10:00:00Z"), 404);
        assertProblem(cancel(tenant, unknown), 404);
        assertThat(eventCount(tenant)).isEqualTo(events);
    }
}
