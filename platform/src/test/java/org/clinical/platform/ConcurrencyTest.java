package org.clinical.platform;

import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrencyTest extends PlatformTest {

    private static Map<Integer, Long> byStatus(List<Api.Response> responses) {
        return responses.stream().collect(Collectors.groupingBy(Api.Response::status, Collectors.counting()));
    }

    private static void assertConflictsAreProblems(List<Api.Response> responses) {
        responses.stream().filter(r -> r.status() == 409).forEach(r -> assertProblem(r, 409));
    }

    @Test
    void ten_concurrent_registrations_of_one_mrn_register_exactly_one_patient() {
        String tenant = newTenant();

        List<Api.Response> responses = concurrently(10, () -> registerPatient(tenant, "MRN-RACE"));

        assertThat(byStatus(responses)).as(responses.toString()).containsOnlyKeys(201, 409).containsEntry(201, 1L);
        assertConflictsAreProblems(responses);
        assertThat(eventCount(tenant, "PatientRegistered")).isEqualTo(1);
        String winner = responses.stream().filter(r -> r.status() == 201).findFirst().orElseThrow()
                .body().get("patientId").asText();
        assertThat(queryString("select patient_id::text from " + schema(tenant) + ".patient_registry where mrn = ?",
                "MRN-RACE")).isEqualTo(winner);
        assertThat(rowCount(tenant, "patient_registry")).isEqualTo(1);
    }

    @Test
    void ten_concurrent_inpatient_admissions_of_one_patient_admit_exactly_once() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-1");

        List<Api.Response> responses = concurrently(10, () -> startEncounter(tenant, patient, facility, "IMP"));

        assertThat(byStatus(responses)).as(responses.toString()).containsOnlyKeys(201, 409).containsEntry(201, 1L);
        assertConflictsAreProblems(responses);
        assertThat(eventCount(tenant, "EncounterStarted")).isEqualTo(1);
        assertThat(rowCount(tenant, "encounter_registry")).isEqualTo(1);
    }

    @Test
    void ten_concurrent_demographics_updates_never_fail_and_store_one_event_per_success() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        AtomicInteger n = new AtomicInteger();

        List<Api.Response> responses = concurrently(10, () -> api.put("/api/v1/" + tenant + "/patients/" + patient
                + "/demographics").token(CLINICIAN).json("""
                {"name": {"family": "Lovelace", "given": ["Ada %d"]}, "birthDate": "1980-12-10", "gender": "female"}"""
                .formatted(n.incrementAndGet())).send());

        Map<Integer, Long> statuses = byStatus(responses);
        assertThat(statuses).as(responses.toString()).containsKey(200);
        assertThat(statuses.keySet()).as(responses.toString()).isSubsetOf(200, 409);
        assertConflictsAreProblems(responses);
        long successes = statuses.get(200);
        assertThat(eventCount(tenant, "PatientDemographicsUpdated")).isEqualTo(successes);
        assertThat(queryLong("select max(sequence_number) from " + schema(tenant)
                + ".domain_event_entry where aggregate_identifier = ?", patient)).isEqualTo(successes);
        List<Long> versions = responses.stream().filter(r -> r.status() == 200)
                .map(r -> r.body().get("version").asLong()).toList();
        assertThat(versions).doesNotHaveDuplicates().allMatch(v -> v >= 2 && v <= successes + 1);
        assertThat(responses.stream().filter(r -> r.status() == 200).map(r -> r.header("X-Event-Position"))
                .collect(Collectors.toMap(Function.identity(), p -> 1, Integer::sum))).allSatisfy((p, c) ->
                assertThat(c).isEqualTo(1));
    }

    @Test
    void ten_concurrent_facility_registrations_of_one_code_register_exactly_one() {
        String tenant = newTenant();

        List<Api.Response> responses = concurrently(10, () -> api.post("/api/v1/" + tenant + "/facilities")
                .token(ADMIN).json(Map.of("code", "RACE", "name", "Race", "type", "lab")).send());

        assertThat(byStatus(responses)).as(responses.toString()).containsOnlyKeys(201, 409).containsEntry(201, 1L);
        assertConflictsAreProblems(responses);
        assertThat(eventCount(tenant, "FacilityRegistered")).isEqualTo(1);
        assertThat(rowCount(tenant, "facility_registry")).isEqualTo(1);
    }

    @Test
    void two_patients_merged_into_each_other_concurrently_keep_one_survivor() {
        String tenant = newTenant();
        List<String> bothMerged = new ArrayList<>();

        for (int i = 0; i < 10; i++) {
            String a = newPatient(tenant, "A-" + i);
            String b = newPatient(tenant, "B-" + i);
            AtomicInteger turn = new AtomicInteger();
            List<Api.Response> responses = concurrently(2, () -> {
                boolean first = turn.getAndIncrement() == 0;
                return api.post("/api/v1/" + tenant + "/patients/" + (first ? a : b) + "/merge").token(CLINICIAN)
                        .json("{\"survivorId\": \"" + (first ? b : a) + "\"}").send();
            });
            assertThat(byStatus(responses).keySet()).as(responses.toString()).isSubsetOf(200, 409);
            if (queryLong("select count(*) from " + schema(tenant) + ".patient_registry"
                    + " where patient_id in (?::uuid, ?::uuid) and status = 'merged'", a, b) == 2) {
                bothMerged.add(a + " <-> " + b + " " + responses);
            }
        }

        assertThat(bothMerged).as("pairs merged into each other").isEmpty();
        assertThat(eventCount(tenant, "PatientMerged")).isEqualTo(10);
    }
}
