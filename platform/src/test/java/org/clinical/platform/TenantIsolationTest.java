package org.clinical.platform;

import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.clinical.platform.support.Tokens;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TenantIsolationTest extends PlatformTest {

    /** The aggregates a tenant's clinical activity creates, in order: facility, patients, encounter, observations. */
    private List<String> clinicalActivity(String tenant) {
        List<String> ids = new ArrayList<>();
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-1");
        String other = newPatient(tenant, "MRN-2");
        String encounter = newEncounter(tenant, patient, facility, "IMP");
        ids.addAll(List.of(facility, patient, other, encounter));
        for (int value : new int[]{70, 75}) {
            Api.Response recorded = api.post("/api/v1/" + tenant + "/observations").token(CLINICIAN)
                    .json(heartRate(patient, encounter, value)).send();
            assertThat(recorded.status()).as(recorded.toString()).isEqualTo(201);
            ids.add(recorded.body().get("observationId").asText());
        }
        return ids;
    }

    private static List<String> aggregatesIn(String tenant) {
        return queryStrings("select distinct aggregate_identifier from " + schema(tenant) + ".domain_event_entry");
    }

    @Test
    void every_event_of_a_tenant_is_stored_in_its_own_schema_only() {
        String a = newTenant();
        String b = newTenant();

        List<String> idsOfA = clinicalActivity(a);
        List<String> idsOfB = clinicalActivity(b);

        assertThat(eventCount(a)).isEqualTo(1 + idsOfA.size());
        assertThat(eventCount(b)).isEqualTo(1 + idsOfB.size());
        assertThat(aggregatesIn(a)).containsAll(idsOfA).doesNotContainAnyElementsOf(idsOfB);
        assertThat(aggregatesIn(b)).containsAll(idsOfB).doesNotContainAnyElementsOf(idsOfA);
        for (String tenant : List.of(a, b)) {
            assertThat(rowCount(tenant, "patient_registry")).isEqualTo(2);
            assertThat(rowCount(tenant, "encounter_registry")).isEqualTo(1);
            assertThat(rowCount(tenant, "facility_registry")).isEqualTo(1);
        }
    }

    @Test
    void the_metadata_tenant_of_every_event_is_the_tenant_of_its_schema() {
        String a = newTenant();
        String b = newTenant();
        clinicalActivity(a);
        clinicalActivity(b);

        for (String tenant : List.of(a, b)) {
            List<String> tenants = queryStrings("select convert_from(meta_data, 'UTF8')::jsonb->>'tenant' from "
                    + schema(tenant) + ".domain_event_entry order by global_index");
            assertThat(tenants).hasSize((int) eventCount(tenant)).containsOnly(tenant);
        }
    }

    @Test
    void the_same_mrn_and_facility_code_live_independently_in_two_tenants() {
        String a = newTenant();
        String b = newTenant();

        String patientOfA = newPatient(a, "MRN-SHARED");
        String patientOfB = newPatient(b, "MRN-SHARED");

        assertThat(patientOfA).isNotEqualTo(patientOfB);
        assertThat(queryString("select patient_id::text from " + schema(a) + ".patient_registry where mrn = ?",
                "MRN-SHARED")).isEqualTo(patientOfA);
        assertThat(queryString("select patient_id::text from " + schema(b) + ".patient_registry where mrn = ?",
                "MRN-SHARED")).isEqualTo(patientOfB);
    }

    @Test
    void a_patient_or_encounter_of_another_tenant_is_unknown_here() {
        String a = newTenant();
        String b = newTenant();
        String facilityOfA = newFacility(a, "GEN");
        String patientOfB = newPatient(b, "MRN-1");
        String encounterOfB = newEncounter(b, patientOfB, newFacility(b, "GEN"), "AMB");
        long eventsOfA = eventCount(a);
        long eventsOfB = eventCount(b);

        Api.Response encounter = startEncounter(a, patientOfB, facilityOfA, "AMB");
        Api.Response observation = api.post("/api/v1/" + a + "/observations").token(CLINICIAN)
                .json(heartRate(patientOfB, null, 70)).send();
        Api.Response demographics = api.put("/api/v1/" + a + "/patients/" + patientOfB + "/demographics")
                .token(CLINICIAN).json("""
                        {"name": {"family": "Hijack"}, "birthDate": "1980-12-10", "gender": "other"}""").send();
        Api.Response discharge = api.post("/api/v1/" + a + "/encounters/" + encounterOfB + "/discharge")
                .token(CLINICIAN).json("{\"at\": \"2025-03-02T10:00:00Z\"}").send();

        for (Api.Response refused : List.of(encounter, observation, demographics, discharge)) {
            assertProblem(refused, 404);
        }
        assertThat(eventCount(a)).isEqualTo(eventsOfA);
        assertThat(eventCount(b)).isEqualTo(eventsOfB);
    }

    @Test
    void a_token_limited_to_one_tenant_gets_404_on_another_tenants_endpoints() {
        String a = newTenant();
        String b = newTenant();
        String patientOfB = newPatient(b, "MRN-1");
        String facilityOfB = newFacility(b, "GEN");
        String clinicianOfA = Tokens.token("dr-a", List.of("clinician"), List.of(a));
        String adminOfA = Tokens.token("admin-a", List.of("admin"), List.of(a));
        long eventsOfB = eventCount(b);

        Api.Response ownTenant = api.post("/api/v1/" + a + "/patients").token(clinicianOfA)
                .json(patientBody("MRN-1")).send();
        List<Api.Response> refused = List.of(
                api.post("/api/v1/" + b + "/patients").token(clinicianOfA).json(patientBody("MRN-2")).send(),
                api.put("/api/v1/" + b + "/patients/" + patientOfB + "/demographics").token(clinicianOfA).json("""
                        {"name": {"family": "X"}, "birthDate": "1980-12-10", "gender": "other"}""").send(),
                api.post("/api/v1/" + b + "/encounters").token(clinicianOfA).json("""
                        {"patientId": "%s", "class": "AMB", "facilityId": "%s", "startedAt": "2025-03-01T08:15:00Z"}"""
                        .formatted(patientOfB, facilityOfB)).send(),
                api.post("/api/v1/" + b + "/observations").token(clinicianOfA)
                        .json(heartRate(patientOfB, null, 70)).send(),
                api.post("/api/v1/" + b + "/facilities").token(adminOfA)
                        .json(Map.of("code", "X", "name", "X", "type", "lab")).send(),
                api.get("/api/v1/" + b + "/facilities").token(adminOfA).send(),
                api.get("/api/v1/tenants/" + b).token(adminOfA).send());

        assertThat(ownTenant.status()).as(ownTenant.toString()).isEqualTo(201);
        for (Api.Response response : refused) {
            assertProblem(response, 404);
            assertThat(response.body().get("detail").asText()).doesNotContain(b);
        }
        assertThat(eventCount(b)).isEqualTo(eventsOfB);
        assertThat(rowCount(b, "patient_registry")).isEqualTo(1);
    }
}
