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
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class PatientApiTest extends PlatformTest {

    private static final String DEMOGRAPHICS = """
            {"name": {"family": "Byron", "given": ["Augusta", "Ada"]}, "birthDate": "1980-12-10",
             "gender": "female", "identifiers": [{"system": "urn:oid:1.2.3", "value": "X-1"}],
             "telecom": [{"system": "phone", "value": "+44 20 7946 0000", "use": "home"}],
             "address": {"line": ["12 St James's Square"], "city": "London", "country": "GB"}}""";

    private Api.Response post(String tenant, String path, String json) {
        return api.post("/api/v1/" + tenant + path).token(CLINICIAN).json(json).send();
    }

    private Api.Response updateDemographics(String tenant, String patientId, String ifMatch) {
        Api.Call call = api.put("/api/v1/" + tenant + "/patients/" + patientId + "/demographics").token(CLINICIAN)
                .json(DEMOGRAPHICS);
        if (ifMatch != null) {
            call.header("If-Match", ifMatch);
        }
        return call.send();
    }

    private Api.Response merge(String tenant, String patientId, String survivorId) {
        return post(tenant, "/patients/" + patientId + "/merge", "{\"survivorId\": \"" + survivorId + "\"}");
    }

    private Api.Response deceased(String tenant, String patientId, Instant at) {
        return post(tenant, "/patients/" + patientId + "/deceased", "{\"deceasedAt\": \"" + at + "\"}");
    }

    private static List<String> fields(Api.Response problem) {
        List<String> fields = new ArrayList<>();
        problem.body().get("errors").forEach(error -> fields.add(error.get("field").asText()));
        return fields;
    }

    private static long patientEvents(String tenant, String patientId) {
        return queryLong("select count(*) from " + schema(tenant) + ".domain_event_entry where aggregate_identifier = ?",
                patientId);
    }

    @Test
    void registering_a_patient_answers_201_with_its_id_version_1_etag_and_position() {
        String tenant = newTenant();

        Api.Response created = registerPatient(tenant, "MRN-1");

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String patientId = created.body().get("patientId").asText();
        assertThat(UUID.fromString(patientId)).isNotNull();
        assertThat(created.body().get("version").asLong()).isEqualTo(1);
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        assertThat(created.position()).isPositive();
        assertThat(created.position()).isEqualTo(queryLong("select global_index from " + schema(tenant)
                + ".domain_event_entry where aggregate_identifier = ? and payload_type = 'PatientRegistered'",
                patientId));
        assertThat(queryString("select mrn from " + schema(tenant) + ".patient_registry where patient_id = ?::uuid",
                patientId)).isEqualTo("MRN-1");
    }

    @Test
    void a_taken_mrn_is_a_conflict_and_appends_nothing() {
        String tenant = newTenant();
        newPatient(tenant, "MRN-1");
        long events = eventCount(tenant);

        Api.Response again = registerPatient(tenant, "MRN-1");

        assertProblem(again, 409);
        assertThat(again.body().get("type").asText()).contains("mrn-taken");
        assertThat(eventCount(tenant)).isEqualTo(events);
        assertThat(rowCount(tenant, "patient_registry")).isEqualTo(1);
    }

    @Test
    void a_registration_without_its_required_fields_lists_each_missing_field() {
        String tenant = newTenant();

        Api.Response empty = post(tenant, "/patients", "{}");
        Api.Response noFamily = post(tenant, "/patients", """
                {"mrn": "M", "name": {"given": ["Ada"]}, "birthDate": "1980-12-10", "gender": "female"}""");

        assertProblem(empty, 400);
        assertThat(fields(empty)).containsExactlyInAnyOrder("mrn", "name", "birthDate", "gender");
        empty.body().get("errors").forEach(error -> assertThat(error.get("message").asText()).isNotBlank());
        assertProblem(noFamily, 400);
        assertThat(fields(noFamily)).containsExactly("name.family");
        assertThat(eventCount(tenant)).isEqualTo(1);
    }

    @Test
    void an_unknown_gender_is_refused() {
        String tenant = newTenant();

        Api.Response refused = post(tenant, "/patients", """
                {"mrn": "M", "name": {"family": "Lovelace", "given": ["Ada"]}, "birthDate": "1980-12-10",
                 "gender": "robot"}""");

        assertProblem(refused, 400);
        assertThat(fields(refused)).containsExactly("gender");
        assertThat(eventCount(tenant)).isEqualTo(1);
    }

    @Test
    void an_unknown_json_field_is_refused() {
        String tenant = newTenant();

        Api.Response refused = post(tenant, "/patients", """
                {"mrn": "M", "name": {"family": "Lovelace", "given": ["Ada"]}, "birthDate": "1980-12-10",
                 "gender": "female", "favouriteColour": "green"}""");

        assertProblem(refused, 400);
        assertThat(fields(refused)).containsExactly("favouriteColour");
        assertThat(eventCount(tenant)).isEqualTo(1);
    }

    @Test
    void a_birth_date_in_the_future_is_refused_but_today_is_accepted() {
        String tenant = newTenant();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        Api.Response future = post(tenant, "/patients", """
                {"mrn": "M-1", "name": {"family": "Future"}, "birthDate": "%s", "gender": "unknown"}"""
                .formatted(today.plusDays(2)));
        Api.Response newborn = post(tenant, "/patients", """
                {"mrn": "M-2", "name": {"family": "Newborn"}, "birthDate": "%s", "gender": "unknown"}"""
                .formatted(today));

        assertProblem(future, 400);
        assertThat(fields(future)).containsExactly("birthDate");
        assertThat(newborn.status()).as(newborn.toString()).isEqualTo(201);
        assertThat(eventCount(tenant, "PatientRegistered")).isEqualTo(1);
    }

    @Test
    void updating_demographics_answers_200_with_version_2() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");

        Api.Response updated = updateDemographics(tenant, patient, null);

        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.body().get("patientId").asText()).isEqualTo(patient);
        assertThat(updated.body().get("version").asLong()).isEqualTo(2);
        assertThat(updated.header("ETag")).isEqualTo("\"2\"");
        assertThat(updated.position()).isEqualTo(queryLong("select global_index from " + schema(tenant)
                + ".domain_event_entry where payload_type = 'PatientDemographicsUpdated'"));
    }

    @Test
    void a_stale_if_match_answers_412_and_appends_nothing() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        assertThat(updateDemographics(tenant, patient, "\"1\"").status()).isEqualTo(200);
        long events = eventCount(tenant);

        Api.Response stale = updateDemographics(tenant, patient, "\"1\"");

        assertProblem(stale, 412);
        assertThat(stale.body().get("type").asText()).contains("stale-version");
        assertThat(eventCount(tenant)).isEqualTo(events);
        assertThat(patientEvents(tenant, patient)).isEqualTo(2);
    }

    @Test
    void the_current_version_in_if_match_is_accepted() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");

        Api.Response first = updateDemographics(tenant, patient, "\"1\"");
        Api.Response second = updateDemographics(tenant, patient, first.header("ETag"));

        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        assertThat(second.header("ETag")).isEqualTo("\"3\"");
        assertThat(patientEvents(tenant, patient)).isEqualTo(3);
    }

    @Test
    void a_malformed_if_match_is_refused() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");

        Api.Response garbage = updateDemographics(tenant, patient, "yesterday");

        assertProblem(garbage, 400);
        assertThat(fields(garbage)).containsExactly("If-Match");
        assertThat(patientEvents(tenant, patient)).isEqualTo(1);
    }

    @Test
    void commands_on_an_unknown_patient_answer_404() {
        String tenant = newTenant();
        String survivor = newPatient(tenant, "SURVIVOR");
        String unknown = UUID.randomUUID().toString();
        long events = eventCount(tenant);

        assertProblem(updateDemographics(tenant, unknown, null), 404);
        assertProblem(deceased(tenant, unknown, Instant.parse("2025-01-01T00:00:00Z")), 404);
        assertProblem(merge(tenant, unknown, survivor), 404);
        assertProblem(api.put("/api/v1/" + tenant + "/patients/not-a-uuid/demographics").token(CLINICIAN)
                .json(DEMOGRAPHICS).send(), 400);
        assertThat(eventCount(tenant)).isEqualTo(events);
        assertThat(patientEvents(tenant, unknown)).isZero();
    }

    @Test
    void a_merged_patient_takes_no_further_commands() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "GEN");
        String merged = newPatient(tenant, "MRN-DUP");
        String survivor = newPatient(tenant, "MRN-1");
        String third = newPatient(tenant, "MRN-3");

        Api.Response merge = merge(tenant, merged, survivor);
        assertThat(merge.status()).as(merge.toString()).isEqualTo(200);
        assertThat(merge.body().get("patientId").asText()).isEqualTo(merged);
        assertThat(merge.body().get("version").asLong()).isEqualTo(2);
        assertThat(eventCount(tenant, "PatientMerged")).isEqualTo(1);
        assertThat(queryString("select status from " + schema(tenant) + ".patient_registry where patient_id = ?::uuid",
                merged)).isEqualTo("merged");
        long events = eventCount(tenant);

        Api.Response demographics = updateDemographics(tenant, merged, null);
        Api.Response death = deceased(tenant, merged, Instant.parse("2025-01-01T00:00:00Z"));
        Api.Response mergeAgain = merge(tenant, merged, third);
        Api.Response encounter = startEncounter(tenant, merged, facility, "AMB");

        for (Api.Response refused : List.of(demographics, death, mergeAgain, encounter)) {
            assertProblem(refused, 409);
            assertThat(refused.body().get("type").asText()).contains("patient-merged");
        }
        assertThat(eventCount(tenant)).isEqualTo(events);
        assertThat(rowCount(tenant, "encounter_registry")).isZero();
    }

    @Test
    void a_patient_cannot_be_merged_into_itself() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");

        Api.Response refused = merge(tenant, patient, patient);

        assertProblem(refused, 409);
        assertThat(refused.body().get("type").asText()).contains("cannot-merge-into-itself");
        assertThat(patientEvents(tenant, patient)).isEqualTo(1);
    }

    @Test
    void merging_into_an_unknown_survivor_answers_404() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");

        Api.Response refused = merge(tenant, patient, UUID.randomUUID().toString());

        assertProblem(refused, 404);
        assertThat(patientEvents(tenant, patient)).isEqualTo(1);
        assertThat(queryString("select status from " + schema(tenant) + ".patient_registry where patient_id = ?::uuid",
                patient)).isEqualTo("active");
    }

    @Test
    void recording_a_death_answers_200_once_and_409_the_second_time() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");

        Api.Response death = deceased(tenant, patient, Instant.parse("2025-02-01T10:00:00Z"));
        Api.Response again = deceased(tenant, patient, Instant.parse("2025-02-02T10:00:00Z"));

        assertThat(death.status()).as(death.toString()).isEqualTo(200);
        assertThat(death.body().get("version").asLong()).isEqualTo(2);
        assertThat(death.header("ETag")).isEqualTo("\"2\"");
        assertProblem(again, 409);
        assertThat(again.body().get("type").asText()).contains("patient-deceased");
        assertThat(eventCount(tenant, "PatientDeceased")).isEqualTo(1);
    }

    @Test
    void a_death_in_the_future_or_before_birth_is_refused() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");

        Api.Response future = deceased(tenant, patient, Instant.now().plus(1, ChronoUnit.HOURS));
        Api.Response beforeBirth = deceased(tenant, patient, Instant.parse("1970-01-01T00:00:00Z"));
        Api.Response withinSkew = deceased(tenant, patient, Instant.now().plus(1, ChronoUnit.MINUTES));

        assertProblem(future, 400);
        assertThat(fields(future)).containsExactly("deceasedAt");
        assertProblem(beforeBirth, 400);
        assertThat(beforeBirth.body().get("type").asText()).contains("death-before-birth");
        assertThat(withinSkew.status()).as(withinSkew.toString()).isEqualTo(200);
        assertThat(eventCount(tenant, "PatientDeceased")).isEqualTo(1);
    }

    @Test
    void a_deceased_patient_cannot_start_an_encounter() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-1");
        assertThat(deceased(tenant, patient, Instant.parse("2025-02-01T10:00:00Z")).status()).isEqualTo(200);

        Api.Response refused = startEncounter(tenant, patient, facility, "AMB");

        assertProblem(refused, 409);
        assertThat(refused.body().get("type").asText()).contains("patient-deceased");
        assertThat(eventCount(tenant, "EncounterStarted")).isZero();
        assertThat(rowCount(tenant, "encounter_registry")).isZero();
    }

    @Test
    void a_survivor_that_was_itself_merged_is_refused() {
        String tenant = newTenant();
        String first = newPatient(tenant, "MRN-1");
        String second = newPatient(tenant, "MRN-2");
        String third = newPatient(tenant, "MRN-3");
        assertThat(merge(tenant, first, second).status()).isEqualTo(200);

        Api.Response refused = merge(tenant, third, first);

        assertProblem(refused, 409);
        assertThat(refused.body().get("type").asText()).contains("survivor-not-active");
        assertThat(patientEvents(tenant, third)).isEqualTo(1);
    }

    @Test
    void a_birth_date_corrected_to_after_the_death_is_refused() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        assertThat(deceased(tenant, patient, Instant.parse("2000-01-01T00:00:00Z")).status()).isEqualTo(200);

        Api.Response refused = api.put("/api/v1/" + tenant + "/patients/" + patient + "/demographics")
                .token(CLINICIAN).json("""
                        {"name": {"family": "Lovelace"}, "birthDate": "2001-01-01", "gender": "female"}""").send();

        assertProblem(refused, 400);
        assertThat(refused.body().get("type").asText()).contains("death-before-birth");
        assertThat(patientEvents(tenant, patient)).isEqualTo(2);
    }

    @Test
    void an_analyst_may_not_register_patients() {
        String tenant = newTenant();

        Api.Response refused = api.post("/api/v1/" + tenant + "/patients").token(ANALYST)
                .json(patientBody("MRN-1")).send();

        assertProblem(refused, 403);
        assertThat(eventCount(tenant)).isEqualTo(1);
        assertThat(rowCount(tenant, "patient_registry")).isZero();
    }

    @Test
    void identifiers_telecom_and_address_are_accepted_at_registration() {
        String tenant = newTenant();

        Api.Response created = post(tenant, "/patients", DEMOGRAPHICS.replaceFirst("\\{", "{\"mrn\": \"MRN-9\", "));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String payload = queryString("select convert_from(payload, 'UTF8') from " + schema(tenant)
                + ".domain_event_entry where payload_type = 'PatientRegistered'");
        assertThat(payload).contains("MRN-9", "Augusta", "urn:oid:1.2.3", "London");
        assertThat(eventCount(tenant)).isEqualTo(2);
    }
}
