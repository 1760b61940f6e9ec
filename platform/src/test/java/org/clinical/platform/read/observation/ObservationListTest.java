package org.clinical.platform.read.observation;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.Tokens;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class ObservationListTest extends ObservationReadsSupport {

    @Test
    void every_value_kind_amendment_and_entry_in_error_shows_in_the_list_with_its_status() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        String facility = newFacility(tenant, "GEN");
        String encounter = newEncounter(tenant, patient, facility, "AMB");

        String heart = record(tenant, heartRate(patient, encounter, 120)).body().get("observationId").asText();
        String coded = record(tenant, observation(patient, null, "5778-6", "laboratory", "2025-03-01T10:00:00Z",
                "{\"code\": {\"system\": \"http://snomed.info/sct\", \"code\": \"371244009\", \"display\": \"Yellow\"}}"))
                .body().get("observationId").asText();
        String text = record(tenant, observation(patient, null, "5767-9", "laboratory", "2025-03-01T11:00:00Z",
                "{\"string\": \"clear\"}")).body().get("observationId").asText();
        String bool = record(tenant, observation(patient, null, "11557-6", null, "2025-03-01T12:00:00Z",
                "{\"boolean\": true}")).body().get("observationId").asText();
        String panel = record(tenant, observation(patient, encounter, "85354-9", "vital-signs", "2025-03-01T13:00:00Z", """
                {"components": [
                  {"code": {"system": "http://loinc.org", "code": "8480-6"}, "value": {"quantity": {"value": 120, "unit": "mm[Hg]"}}},
                  {"code": {"system": "http://loinc.org", "code": "8462-4"}, "value": {"quantity": {"value": 80, "unit": "mm[Hg]"}}}]}"""))
                .body().get("observationId").asText();
        amend(tenant, heart, quantity(72, "/min"));
        long last = enteredInError(tenant, text).position();

        List<JsonNode> items = items(list(tenant, patient, "", last));

        assertThat(ids(items)).containsExactly(panel, bool, text, coded, heart);
        JsonNode amended = items.get(4);
        assertThat(amended.get("status").asText()).isEqualTo("amended");
        assertThat(amended.get("version").asLong()).isEqualTo(2);
        assertThat(amended.get("value").get("quantity").get("value").decimalValue()).isEqualByComparingTo("72");
        assertThat(amended.get("value").get("quantity").get("unit").asText()).isEqualTo("/min");
        assertThat(amended.get("referenceRange").get("low").decimalValue()).isEqualByComparingTo("60");
        assertThat(amended.get("interpretation").asText()).isEqualTo("N");
        assertThat(amended.get("encounterId").asText()).isEqualTo(encounter);
        assertThat(amended.get("patientId").asText()).isEqualTo(patient);
        assertThat(amended.get("code").get("system").asText()).isEqualTo(LOINC);
        assertThat(amended.get("code").get("code").asText()).isEqualTo("8867-4");
        assertThat(amended.get("code").get("display").asText()).isEqualTo("Heart rate");
        assertThat(amended.get("category").asText()).isEqualTo("vital-signs");
        assertThat(amended.get("effectiveAt").asText()).isEqualTo("2025-03-01T09:00:00Z");

        JsonNode inError = items.get(2);
        assertThat(inError.get("status").asText()).isEqualTo("entered-in-error");
        assertThat(inError.get("version").asLong()).isEqualTo(2);
        assertThat(inError.get("value").get("string").asText()).isEqualTo("clear");

        assertThat(items.get(3).get("value").get("code").get("code").asText()).isEqualTo("371244009");
        assertThat(items.get(3).get("status").asText()).isEqualTo("final");
        assertThat(items.get(1).get("value").get("boolean").asBoolean()).isTrue();
        assertThat(items.get(1).get("category").isNull()).isTrue();
        assertThat(items.get(0).get("value").get("components").get(1).get("value").get("quantity").get("value")
                .asInt()).isEqualTo(80);
        assertThat(items.get(0).get("interpretation").isNull()).isTrue();
        assertThat(items.get(0).get("referenceRange").isNull()).isTrue();
    }

    @Test
    void code_from_and_to_filter_the_list() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        long last = batch(tenant, List.of(
                observation(patient, null, "8867-4", "vital-signs", "2025-03-01T08:00:00Z", quantity(70, "/min")),
                observation(patient, null, "8867-4", "vital-signs", "2025-03-02T08:00:00Z", quantity(71, "/min")),
                observation(patient, null, "8867-4", "vital-signs", "2025-03-03T08:00:00Z", quantity(72, "/min")),
                observation(patient, null, "8310-5", "vital-signs", "2025-03-02T09:00:00Z", quantity(37, "Cel"))))
                .position();

        assertThat(values(list(tenant, patient, "?code=8867-4", last))).containsExactly(72, 71, 70);
        assertThat(values(list(tenant, patient, "?code=http://loinc.org%7C8310-5", last))).containsExactly(37);
        assertThat(values(list(tenant, patient, "?code=http://snomed.info/sct%7C8310-5", last))).isEmpty();
        assertThat(values(list(tenant, patient, "?from=2025-03-02T08:00:00Z&to=2025-03-02T09:00:00Z", last)))
                .containsExactly(37, 71);
        assertThat(values(list(tenant, patient, "?code=8867-4&from=2025-03-02T00:00:00%2B01:00", last)))
                .containsExactly(72, 71);
        assertThat(values(list(tenant, patient, "?to=2025-03-01T08:00:00Z", last))).containsExactly(70);
    }

    @Test
    void walking_the_pages_newest_first_loses_and_repeats_nothing_while_observations_are_added() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        Api.Response first = batch(tenant, IntStream.range(0, 25).mapToObj(i -> observation(patient, null, "8867-4",
                "vital-signs", "2025-03-01T%02d:%02d:00Z".formatted(i / 2, (i % 2) * 30), quantity(60 + i, "/min")))
                .toList());
        List<String> recorded = new ArrayList<>(resultIds(first));
        java.util.Collections.reverse(recorded);

        List<String> walked = new ArrayList<>();
        String cursor = null;
        long position = first.position();
        int pages = 0;
        do {
            Api.Response page = list(tenant, patient, "?limit=7" + (cursor == null ? "" : "&cursor=" + cursor), position);
            walked.addAll(ids(items(page)));
            cursor = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asText();
            position = record(tenant, observation(patient, null, "8867-4", "vital-signs",
                    "2025-03-02T0%d:00:00Z".formatted(pages), quantity(100 + pages, "/min"))).position();
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(4);
        assertThat(walked).containsExactlyElementsOf(recorded);
        Set<String> all = new LinkedHashSet<>(ids(items(list(tenant, patient, "?limit=1000", position))));
        assertThat(all).hasSize(29).containsAll(recorded);
    }

    @Test
    void a_month_boundary_makes_two_monthly_partitions() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        long last = batch(tenant, List.of(
                observation(patient, null, "8867-4", "vital-signs", "2025-01-31T23:30:00Z", quantity(70, "/min")),
                observation(patient, null, "8867-4", "vital-signs", "2025-02-01T00:30:00Z", quantity(71, "/min"))))
                .position();

        assertThat(values(list(tenant, patient, "", last))).containsExactly(71, 70);
        String table = liveSchema(tenant, "observations") + ".observation";
        assertThat(queryStrings("select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid"
                + " where i.inhparent = ?::regclass order by 1", table))
                .containsExactly("observation_2025_01", "observation_2025_02");
        assertThat(queryLong("select count(*) from " + liveSchema(tenant, "observations") + ".observation_2025_02"))
                .isEqualTo(1);
    }

    @Test
    void bad_parameters_answer_400_naming_the_parameter() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        String base = "/api/v1/" + tenant + "/patients/" + patient + "/observations";
        assertBadParameter(api.get(base + "?from=2025-03-01").token(CLINICIAN).send(), "from");
        assertBadParameter(api.get(base + "?to=yesterday").token(CLINICIAN).send(), "to");
        assertBadParameter(api.get(base + "?limit=0").token(CLINICIAN).send(), "limit");
        assertBadParameter(api.get(base + "?limit=1001").token(CLINICIAN).send(), "limit");
        assertBadParameter(api.get(base + "?cursor=bm90LWEtY3Vyc29y").token(CLINICIAN).send(), "cursor");
        assertBadParameter(api.get(base + "?code=http://loinc.org%7C").token(CLINICIAN).send(), "code");
        assertBadParameter(api.get("/api/v1/" + tenant + "/patients/not-a-uuid/observations").token(CLINICIAN).send(),
                "patientId");
    }

    @Test
    void another_tenant_sees_nothing_and_an_unknown_patient_answers_404() {
        String tenant = newTenant();
        String other = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        long last = record(tenant, heartRate(patient, null, 80)).position();
        assertThat(values(list(tenant, patient, "", last))).containsExactly(80);

        assertProblem(api.get("/api/v1/" + other + "/patients/" + patient + "/observations").token(CLINICIAN)
                .send(), 404);
        assertProblem(api.get("/api/v1/" + tenant + "/patients/" + java.util.UUID.randomUUID() + "/observations")
                .token(CLINICIAN).send(), 404);
        String otherOnly = Tokens.token("dr-other", List.of("clinician"), List.of(other));
        assertProblem(api.get("/api/v1/" + tenant + "/patients/" + patient + "/observations").token(otherOnly)
                .send(), 404);
    }

    private List<Integer> values(Api.Response response) {
        return items(response).stream().map(i -> i.get("value").get("quantity").get("value").asInt()).toList();
    }
}
