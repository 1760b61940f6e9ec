package org.clinical.platform.read.encounter;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.infra.tenant.ActiveTenants;
import org.clinical.infra.region.Regions;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.Tokens;
import org.clinical.projections.encounter.EncounterQueries;
import org.clinical.projections.encounter.EncounterQueries.OpenEncounter;
import org.clinical.projections.readmodel.Read;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class EncounterListAndCensusTest extends EncounterReads {

    @Autowired
    ActiveTenants tenants;
    @Autowired
    Regions regions;

    @Test
    void a_started_encounter_is_listed_in_progress_and_counted_in_the_census() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-1");
        Api.Response started = start(tenant, patient, facility, "IMP", "Ward 1", "2025-03-01T08:15:00Z");

        JsonNode list = read("/api/v1/" + tenant + "/patients/" + patient + "/encounters", CLINICIAN,
                started.position()).body();
        JsonNode census = read("/api/v1/" + tenant + "/census", ANALYST, started.position()).body();

        JsonNode encounter = list.get("items").get(0);
        assertThat(list.get("items")).hasSize(1);
        assertThat(list.get("nextCursor").isNull()).isTrue();
        assertThat(encounter.get("encounterId").asText()).isEqualTo(id(started));
        assertThat(encounter.get("patientId").asText()).isEqualTo(patient);
        assertThat(encounter.get("class").asText()).isEqualTo("IMP");
        assertThat(encounter.get("facilityId").asText()).isEqualTo(facility);
        assertThat(encounter.get("location").asText()).isEqualTo("Ward 1");
        assertThat(encounter.get("status").asText()).isEqualTo("in-progress");
        assertThat(encounter.get("startedAt").asText()).isEqualTo("2025-03-01T08:15:00Z");
        assertThat(encounter.get("endedAt").isNull()).isTrue();
        assertThat(encounter.get("reason").get("code").asText()).isEqualTo("29857009");
        assertThat(encounter.get("version").asLong()).isEqualTo(1);
        assertThat(encounter.get("locations").toString())
                .isEqualTo("[{\"location\":\"Ward 1\",\"from\":\"2025-03-01T08:15:00Z\",\"to\":null}]");
        assertThat(census.get("items")).hasSize(1);
        JsonNode ward = census.get("items").get(0);
        assertThat(ward.get("facilityId").asText()).isEqualTo(facility);
        assertThat(ward.get("location").asText()).isEqualTo("Ward 1");
        assertThat(ward.get("count").asInt()).isEqualTo(1);
        assertThat(ward.get("encounters").get(0).get("encounterId").asText()).isEqualTo(id(started));
        assertThat(ward.get("encounters").get(0).get("patientId").asText()).isEqualTo(patient);
        assertThat(ward.get("encounters").get(0).get("class").asText()).isEqualTo("IMP");
        assertThat(ward.get("encounters").get(0).get("startedAt").asText()).isEqualTo("2025-03-01T08:15:00Z");
    }

    @Test
    void a_transfer_moves_the_patient_in_the_census_and_extends_the_location_history() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "GEN");
        String first = newPatient(tenant, "MRN-1");
        String second = newPatient(tenant, "MRN-2");
        String moving = id(start(tenant, first, facility, "IMP", "Ward 1", "2025-03-01T08:15:00Z"));
        start(tenant, second, facility, "IMP", "Ward 1", "2025-03-01T09:00:00Z");
        transfer(tenant, moving, "ICU", "2025-03-02T10:00:00Z");
        long position = transfer(tenant, moving, "Ward 3", "2025-03-03T11:30:00Z");

        JsonNode encounter = read("/api/v1/" + tenant + "/patients/" + first + "/encounters", CLINICIAN, position)
                .body().get("items").get(0);
        JsonNode census = read("/api/v1/" + tenant + "/census?facilityId=" + facility, CLINICIAN, position).body();

        assertThat(encounter.get("location").asText()).isEqualTo("Ward 3");
        assertThat(encounter.get("version").asLong()).isEqualTo(3);
        assertThat(encounter.get("locations").toString()).isEqualTo("["
                + "{\"location\":\"Ward 1\",\"from\":\"2025-03-01T08:15:00Z\",\"to\":\"2025-03-02T10:00:00Z\"},"
                + "{\"location\":\"ICU\",\"from\":\"2025-03-02T10:00:00Z\",\"to\":\"2025-03-03T11:30:00Z\"},"
                + "{\"location\":\"Ward 3\",\"from\":\"2025-03-03T11:30:00Z\",\"to\":null}]");
        assertThat(censusCounts(census)).isEqualTo(Map.of("Ward 1", 1, "Ward 3", 1));
    }

    @Test
    void a_discharge_finishes_the_encounter_and_takes_it_out_of_the_census() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-1");
        String stay = id(start(tenant, patient, facility, "IMP", "Ward 1", "2025-03-01T08:15:00Z"));
        transfer(tenant, stay, "ICU", "2025-03-02T10:00:00Z");
        long position = discharge(tenant, stay, "2025-03-05T10:00:00Z");

        JsonNode encounter = read("/api/v1/" + tenant + "/patients/" + patient + "/encounters", CLINICIAN, position)
                .body().get("items").get(0);
        JsonNode census = read("/api/v1/" + tenant + "/census", CLINICIAN, position).body();

        assertThat(encounter.get("status").asText()).isEqualTo("finished");
        assertThat(encounter.get("endedAt").asText()).isEqualTo("2025-03-05T10:00:00Z");
        assertThat(encounter.get("disposition").asText()).isEqualTo("home");
        assertThat(encounter.get("version").asLong()).isEqualTo(3);
        assertThat(encounter.get("locations").get(1).get("to").asText()).isEqualTo("2025-03-05T10:00:00Z");
        assertThat(census.get("items")).isEmpty();
        assertThat(openEncounter(tenant, patient)).isEmpty();
    }

    @Test
    void a_cancelled_encounter_stays_listed_as_cancelled_and_leaves_the_census() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-1");
        String kept = id(start(tenant, patient, facility, "AMB", null, "2025-03-01T08:00:00Z"));
        String wrong = id(start(tenant, patient, facility, "EMER", "ED", "2025-03-02T08:00:00Z"));
        long position = cancel(tenant, wrong);

        JsonNode items = read("/api/v1/" + tenant + "/patients/" + patient + "/encounters", CLINICIAN, position)
                .body().get("items");
        JsonNode census = read("/api/v1/" + tenant + "/census", CLINICIAN, position).body();

        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("encounterId").asText()).isEqualTo(wrong);
        assertThat(items.get(0).get("status").asText()).isEqualTo("cancelled");
        assertThat(items.get(0).get("version").asLong()).isEqualTo(2);
        assertThat(items.get(1).get("encounterId").asText()).isEqualTo(kept);
        assertThat(items.get(1).get("location").isNull()).isTrue();
        assertThat(items.get(1).get("locations")).isEmpty();
        assertThat(census.get("items")).hasSize(1);
        assertThat(census.get("items").get(0).get("location").isNull()).isTrue();
        assertThat(census.get("items").get(0).get("encounters").get(0).get("encounterId").asText()).isEqualTo(kept);
    }

    @Test
    void the_summary_part_answers_the_newest_open_encounter() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-1");
        start(tenant, patient, facility, "AMB", "Clinic", "2025-03-01T08:00:00Z");
        Api.Response newest = start(tenant, patient, facility, "EMER", "ED", "2025-03-02T08:00:00Z");
        read("/api/v1/" + tenant + "/census", CLINICIAN, newest.position());

        OpenEncounter open = openEncounter(tenant, patient).orElseThrow();

        assertThat(open.encounterId()).isEqualTo(UUID.fromString(id(newest)));
        assertThat(open.encounterClass()).isEqualTo("EMER");
        assertThat(open.facilityId()).isEqualTo(UUID.fromString(facility));
        assertThat(open.location()).isEqualTo("ED");
        assertThat(open.startedAt()).isEqualTo(Instant.parse("2025-03-02T08:00:00Z"));
        assertThat(open.version()).isEqualTo(1);
    }

    @Test
    void pages_walk_newest_first_without_loss_or_duplicates_while_encounters_start() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-1");
        List<String> existing = new ArrayList<>();
        long position = 0;
        for (int i = 0; i < 12; i++) {
            // two encounters per start time: the encounter id breaks the tie
            Api.Response started = start(tenant, patient, facility, "AMB", "Clinic",
                    "2025-02-%02dT08:00:00Z".formatted(1 + i / 2));
            existing.add(id(started));
            position = started.position();
        }
        CompletableFuture<Void> newer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 6; i++) {
                start(tenant, patient, facility, "AMB", "Clinic", "2025-03-%02dT08:00:00Z".formatted(1 + i));
            }
        });

        List<JsonNode> walked = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = read("/api/v1/" + tenant + "/patients/" + patient + "/encounters?limit=5"
                    + (cursor == null ? "" : "&cursor=" + cursor), CLINICIAN, position).body();
            page.get("items").forEach(walked::add);
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        newer.join();

        List<String> ids = walked.stream().map(e -> e.get("encounterId").asText()).toList();
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
        assertThat(ids).containsAll(existing);
        for (int i = 1; i < walked.size(); i++) {
            String before = walked.get(i - 1).get("startedAt").asText() + walked.get(i - 1).get("encounterId").asText();
            String after = walked.get(i).get("startedAt").asText() + walked.get(i).get("encounterId").asText();
            assertThat(before).isGreaterThan(after);
        }
    }

    @Test
    void bad_parameters_answer_400_naming_them() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        String list = "/api/v1/" + tenant + "/patients/" + patient + "/encounters";

        assertBadParameter(api.get(list + "?limit=0").token(CLINICIAN).send(), "limit");
        assertBadParameter(api.get(list + "?limit=1001").token(CLINICIAN).send(), "limit");
        assertBadParameter(api.get(list + "?cursor=bm90LWEtY3Vyc29y").token(CLINICIAN).send(), "cursor");
        assertBadParameter(api.get("/api/v1/" + tenant + "/patients/not-a-uuid/encounters").token(CLINICIAN).send(),
                "id");
        assertBadParameter(api.get("/api/v1/" + tenant + "/census?facilityId=ward-1").token(CLINICIAN).send(),
                "facilityId");
    }

    @Test
    void an_unknown_patient_answers_404_and_another_tenant_sees_nothing() {
        String tenant = newTenant();
        String other = newTenant();
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-1");
        long position = start(tenant, patient, facility, "IMP", "Ward 1", "2025-03-01T08:15:00Z").position();
        String otherClinician = Tokens.token("dr-other", List.of("clinician"), List.of(other));

        assertProblem(read("/api/v1/" + tenant + "/patients/" + UUID.randomUUID() + "/encounters", CLINICIAN,
                position), 404);
        assertProblem(api.get("/api/v1/" + other + "/patients/" + patient + "/encounters").token(CLINICIAN).send(),
                404);
        assertThat(api.get("/api/v1/" + other + "/census").token(CLINICIAN).send().body().get("items")).isEmpty();
        assertProblem(api.get("/api/v1/" + tenant + "/patients/" + patient + "/encounters").token(otherClinician)
                .send(), 404);
        assertProblem(api.get("/api/v1/" + tenant + "/census").token(otherClinician).send(), 404);
    }

    @Test
    void the_api_description_documents_the_encounter_reads_and_their_shapes() {
        JsonNode description = api.get("/v3/api-docs").send().body();

        JsonNode paths = description.get("paths");
        assertThat(paths.get("/api/v1/{tenant}/patients/{id}/encounters").get("get").get("tags").get(0).asText())
                .isEqualTo("Reads");
        assertThat(paths.get("/api/v1/{tenant}/census").get("get").get("tags").get(0).asText()).isEqualTo("Reads");
        assertThat(paths.get("/api/v1/{tenant}/analytics/encounters/daily").get("get").get("tags").get(0).asText())
                .isEqualTo("Analytics");
        assertThat(paths.has("/api/v1/regions/{region}/analytics/encounters/daily")).isTrue();
        JsonNode schemas = description.at("/components/schemas");
        assertThat(schemas.at("/EncounterView/properties").has("class")).isTrue();
        assertThat(schemas.at("/EncounterView/properties").has("locations")).isTrue();
        assertThat(schemas.at("/CensusGroup/properties").has("count")).isTrue();
        assertThat(schemas.at("/CensusEncounter/properties").has("class")).isTrue();
        assertThat(schemas.at("/DailyCount/properties").has("day")).isTrue();
    }

    private static Map<String, Integer> censusCounts(JsonNode census) {
        Map<String, Integer> counts = new java.util.HashMap<>();
        census.get("items").forEach(i -> counts.put(i.get("location").asText(), i.get("count").asInt()));
        return counts;
    }

    private java.util.Optional<OpenEncounter> openEncounter(String tenant, String patient) {
        Read read = new Read(tenants.require(tenant), regions.region("default").queryJdbc(),
                Map.of("encounters", liveSchema(tenant, "encounters")));
        return EncounterQueries.open(read, UUID.fromString(patient));
    }
}
