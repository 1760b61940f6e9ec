package org.clinical.platform.read.observation;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.platform.support.Api;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET .../patients/{id}/vitals/latest} over HTTP, read with the position of the last command
 * ({@code X-Min-Position}): the latest value per vital-sign code, by content, through every change that
 * moves it (a newer value, entered in error, amended), so the cache's evictions are exercised too.
 */
class LatestVitalsTest extends ObservationReadsSupport {

    @Test
    void the_latest_vital_falls_back_after_entry_in_error_and_shows_an_amended_value() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        List<String> ids = resultIds(batch(tenant, List.of(
                observation(patient, null, "8867-4", "vital-signs", "2025-03-01T08:00:00Z", quantity(80, "/min")),
                observation(patient, null, "8867-4", "vital-signs", "2025-03-01T09:00:00Z", quantity(90, "/min")),
                observation(patient, null, "8310-5", "vital-signs", "2025-03-01T09:00:00Z", quantity(37.2, "Cel")),
                observation(patient, null, "2345-7", "laboratory", "2025-03-01T10:00:00Z", quantity(95, "mg/dL")))));
        long position = record(tenant, observation(patient, null, "8867-4", "vital-signs", "2025-03-01T07:00:00Z",
                quantity(70, "/min"))).position();

        List<JsonNode> vitals = vitals(tenant, patient, position);
        assertThat(vitals).extracting(v -> v.get("code").get("code").asText()).containsExactly("8310-5", "8867-4");
        assertThat(vitals.get(0).get("value").get("quantity").get("value").decimalValue()).isEqualByComparingTo("37.2");
        JsonNode heart = vitals.get(1);
        assertThat(heart.get("observationId").asText()).isEqualTo(ids.get(1));
        assertThat(heart.get("value").get("quantity").get("value").asInt()).isEqualTo(90);
        assertThat(heart.get("status").asText()).isEqualTo("final");
        assertThat(heart.get("effectiveAt").asText()).isEqualTo("2025-03-01T09:00:00Z");

        position = enteredInError(tenant, ids.get(1)).position();
        heart = vitals(tenant, patient, position).get(1);
        assertThat(heart.get("observationId").asText()).isEqualTo(ids.get(0));
        assertThat(heart.get("value").get("quantity").get("value").asInt()).isEqualTo(80);

        position = amend(tenant, ids.get(0), quantity(85, "/min")).position();
        heart = vitals(tenant, patient, position).get(1);
        assertThat(heart.get("observationId").asText()).isEqualTo(ids.get(0));
        assertThat(heart.get("value").get("quantity").get("value").asInt()).isEqualTo(85);
        assertThat(heart.get("status").asText()).isEqualTo("amended");

        position = enteredInError(tenant, ids.get(2)).position();
        assertThat(vitals(tenant, patient, position)).extracting(v -> v.get("code").get("code").asText())
                .containsExactly("8867-4");
    }

    @Test
    void entering_the_only_vital_in_error_leaves_no_latest_vital_but_keeps_it_in_the_list() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        String oldest = record(tenant, heartRate(patient, null, 66)).body().get("observationId").asText();
        long position = enteredInError(tenant, oldest).position();
        assertThat(vitals(tenant, patient, position)).isEmpty();
        assertThat(items(list(tenant, patient, "", position)).get(0).get("status").asText())
                .isEqualTo("entered-in-error");
    }

    private List<JsonNode> vitals(String tenant, String patient, long position) {
        Api.Response latest = api.get("/api/v1/" + tenant + "/patients/" + patient + "/vitals/latest")
                .token(CLINICIAN).header("X-Min-Position", String.valueOf(position)).send();
        assertThat(latest.status()).as(latest.toString()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        latest.body().get("items").forEach(items::add);
        return items;
    }
}
