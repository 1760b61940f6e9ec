package org.clinical.platform.read.observation;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.platform.read.AtPosition;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Commands and reads of observations over HTTP, for the read-side tests. */
abstract class ObservationReadsSupport extends PlatformTest {

    static final String LOINC = "http://loinc.org";

    static String observation(String patientId, String encounterId, String code, String category, String effectiveAt,
                              String value) {
        return """
                {"patientId": "%s", %s "code": {"system": "http://loinc.org", "code": "%s", "display": "Test %s"},
                 %s "effectiveAt": "%s", "value": %s}"""
                .formatted(patientId, encounterId == null ? "" : "\"encounterId\": \"" + encounterId + "\",", code,
                        code, category == null ? "" : "\"category\": \"" + category + "\",", effectiveAt, value);
    }

    static String quantity(Object value, String unit) {
        return "{\"quantity\": {\"value\": " + value + ", \"unit\": \"" + unit + "\"}}";
    }

    Api.Response record(String tenant, String json) {
        Api.Response response = api.post("/api/v1/" + tenant + "/observations").token(CLINICIAN).json(json).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response;
    }

    /** Records the observations in one batch; answers the response (results in request order). */
    Api.Response batch(String tenant, List<String> observations) {
        Api.Response response = api.post("/api/v1/" + tenant + "/observations/batch").token(CLINICIAN)
                .json("{\"observations\": [" + String.join(",", observations) + "]}").send();
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response;
    }

    Api.Response amend(String tenant, String observationId, String value) {
        Api.Response response = api.post("/api/v1/" + tenant + "/observations/" + observationId + "/amend")
                .token(CLINICIAN).json("{\"value\": " + value + ", \"reason\": \"transcription error\"}").send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response;
    }

    Api.Response enteredInError(String tenant, String observationId) {
        Api.Response response = api.post("/api/v1/" + tenant + "/observations/" + observationId + "/entered-in-error")
                .token(CLINICIAN).json("{\"reason\": \"wrong patient\"}").send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response;
    }

    /** The patient's observations at the position (a 503 is asked again, see {@link AtPosition}). */
    Api.Response list(String tenant, String patientId, String query, long minPosition) {
        return AtPosition.get(api, "/api/v1/" + tenant + "/patients/" + patientId + "/observations" + query,
                CLINICIAN, minPosition);
    }

    List<JsonNode> items(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        response.body().get("items").forEach(items::add);
        return items;
    }

    /** Statistics at the position (a 503 is asked again, see {@link AtPosition}). */
    Api.Response stats(String tenant, String query, long minPosition) {
        return AtPosition.get(api, "/api/v1/" + tenant + "/analytics/observations/stats" + query, ANALYST,
                minPosition);
    }

    static List<String> ids(List<JsonNode> items) {
        return items.stream().map(i -> i.get("observationId").asText()).toList();
    }

    static List<String> resultIds(Api.Response batch) {
        List<String> ids = new ArrayList<>();
        batch.body().get("results").forEach(r -> ids.add(r.get("observationId").asText()));
        return ids;
    }
}
