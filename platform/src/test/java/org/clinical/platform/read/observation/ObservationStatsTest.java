package org.clinical.platform.read.observation;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.platform.support.Api;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** p50/p95 come from log-scale buckets: within 1 % of the sample at rank floor(q * (n - 1)). */
class ObservationStatsTest extends ObservationReadsSupport {

    private static final String CODE = "2345-7";

    @Test
    void count_min_max_and_mean_are_exact_and_percentiles_within_one_percent_by_day_and_facility() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        String north = newFacility(tenant, "NORTH");
        String south = newFacility(tenant, "SOUTH");
        String inNorth = newEncounter(tenant, patient, north, "AMB");
        String inSouth = newEncounter(tenant, patient, south, "AMB");
        List<String> observations = new ArrayList<>();
        for (int v = 1; v <= 100; v++) {
            observations.add(observation(patient, v % 2 == 1 ? inNorth : inSouth, CODE, "laboratory",
                    v <= 50 ? "2025-03-01T09:00:00Z" : "2025-03-02T09:00:00Z", quantity(v, "mg/dL")));
        }
        Api.Response recorded = batch(tenant, observations);
        List<String> ids = resultIds(recorded);

        JsonNode all = body(stats(tenant, "?code=" + CODE, recorded.position()));
        assertThat(all.get("count").asLong()).isEqualTo(100);
        assertThat(all.get("min").asDouble()).isEqualTo(1);
        assertThat(all.get("max").asDouble()).isEqualTo(100);
        assertThat(all.get("mean").asDouble()).isEqualTo(50.5);
        assertThat(all.get("p50").asDouble()).isCloseTo(50, within(0.5));
        assertThat(all.get("p95").asDouble()).isCloseTo(95, within(0.95));
        assertThat(all.get("unit").asText()).isEqualTo("mg/dL");

        JsonNode byDay = body(stats(tenant, "?code=http://loinc.org%7C" + CODE + "&groupBy=day", recorded.position()));
        assertThat(byDay.get("items")).hasSize(2);
        JsonNode first = byDay.get("items").get(0);
        assertThat(first.get("day").asText()).isEqualTo("2025-03-01");
        assertThat(first.get("count").asLong()).isEqualTo(50);
        assertThat(first.get("min").asDouble()).isEqualTo(1);
        assertThat(first.get("max").asDouble()).isEqualTo(50);
        assertThat(first.get("mean").asDouble()).isEqualTo(25.5);
        assertThat(first.get("p50").asDouble()).isCloseTo(25, within(0.25));
        assertThat(byDay.get("items").get(1).get("day").asText()).isEqualTo("2025-03-02");
        assertThat(byDay.get("items").get(1).get("mean").asDouble()).isEqualTo(75.5);

        JsonNode byFacility = body(stats(tenant, "?code=" + CODE + "&groupBy=facility", recorded.position()));
        assertThat(byFacility.get("items")).hasSize(2);
        for (JsonNode item : byFacility.get("items")) {
            boolean odd = item.get("facilityId").asText().equals(north);
            assertThat(item.get("count").asLong()).isEqualTo(50);
            assertThat(item.get("mean").asDouble()).isEqualTo(odd ? 50 : 51);
            assertThat(item.get("min").asDouble()).isEqualTo(odd ? 1 : 2);
        }

        JsonNode oneDay = body(stats(tenant, "?code=" + CODE + "&from=2025-03-02&to=2025-03-02", recorded.position()));
        assertThat(oneDay.get("count").asLong()).isEqualTo(50);
        assertThat(oneDay.get("min").asDouble()).isEqualTo(51);

        enteredInError(tenant, ids.get(99));
        long last = amend(tenant, ids.get(0), quantity(101, "mg/dL")).position();
        JsonNode changed = body(stats(tenant, "?code=" + CODE, last));
        assertThat(changed.get("count").asLong()).isEqualTo(99);
        assertThat(changed.get("min").asDouble()).isEqualTo(2);
        assertThat(changed.get("max").asDouble()).isEqualTo(101);
        assertThat(changed.get("mean").asDouble()).isCloseTo((5050 - 100 - 1 + 101) / 99.0, within(1e-9));
        assertThat(changed.get("p50").asDouble()).isCloseTo(51, within(0.51));
    }

    @Test
    void panel_components_count_under_their_component_code_and_an_unknown_code_has_count_zero() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        long last = record(tenant, observation(patient, null, "85354-9", "vital-signs", "2025-03-01T13:00:00Z", """
                {"components": [
                  {"code": {"system": "http://loinc.org", "code": "8480-6"}, "value": {"quantity": {"value": 120, "unit": "mm[Hg]"}}},
                  {"code": {"system": "http://loinc.org", "code": "8462-4"}, "value": {"quantity": {"value": 80, "unit": "mm[Hg]"}}}]}"""))
                .position();

        JsonNode systolic = body(stats(tenant, "?code=8480-6", last));
        assertThat(systolic.get("count").asLong()).isEqualTo(1);
        assertThat(systolic.get("p95").asDouble()).isEqualTo(120);
        assertThat(body(stats(tenant, "?code=8462-4", last)).get("max").asDouble()).isEqualTo(80);

        JsonNode none = body(stats(tenant, "?code=85354-9", last));
        assertThat(none.get("count").asLong()).isZero();
        assertThat(none.get("min").isNull()).isTrue();
        assertThat(none.get("mean").isNull()).isTrue();
        assertThat(none.get("p50").isNull()).isTrue();
        assertThat(body(stats(tenant, "?code=85354-9&groupBy=day", last)).get("items")).isEmpty();
    }

    @Test
    void bad_parameters_answer_400_naming_the_parameter() {
        String tenant = newTenant();
        String base = "/api/v1/" + tenant + "/analytics/observations/stats";
        assertBadParameter(api.get(base).token(ANALYST).send(), "code");
        assertBadParameter(api.get(base + "?code=1&from=2025-13-01").token(ANALYST).send(), "from");
        assertBadParameter(api.get(base + "?code=1&to=2025-03-01T00:00:00Z").token(ANALYST).send(), "to");
        assertBadParameter(api.get(base + "?code=1&from=2025-03-02&to=2025-03-01").token(ANALYST).send(), "to");
        assertBadParameter(api.get(base + "?code=1&groupBy=week").token(ANALYST).send(), "groupBy");
        assertProblem(api.get(base + "?code=1").token(CLINICIAN).send(), 403);
    }

    private static JsonNode body(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.body();
    }
}
