package org.clinical.platform.edge;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The edge refuses what the store or a read model cannot hold, with a 400 naming the field, and stores
 * nothing: control characters, dates outside the clinical range, numbers beyond the documented precision,
 * duplicate keys, nulls in arrays, deep nesting, oversized panels; an id of the wrong kind answers 404.
 */
class EdgeLimitsTest extends PlatformTest {

    private Api.Response post(String tenant, String path, String json) {
        return api.post("/api/v1/" + tenant + path).token(CLINICIAN).json(json).send();
    }

    private static String patient(String field, String value) {
        String body = """
                {"mrn": "MRN-X", "name": {"family": "Lovelace", "given": ["Ada"]}, "birthDate": "1980-12-10",
                 "gender": "female", "identifiers": [{"system": "urn:ssn", "value": "1"}],
                 "telecom": [{"system": "phone", "value": "+1 555", "use": "home"}],
                 "address": {"line": ["1 Main St"], "city": "Springfield", "country": "US"}}""";
        assertThat(body).contains(field);
        return body.replace(field, value);
    }

    @Test
    void text_dates_numbers_and_json_shapes_outside_the_limits_are_400_naming_the_field() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-1");
        String stay = newEncounter(tenant, patient, facility, "IMP");
        Map<String, Long> before = commandSideCounts(tenant);

        assertBadParameter(post(tenant, "/patients", patient("Lovelace", "Love\\u0000lace")), "name.family");
        assertBadParameter(post(tenant, "/patients", patient("\"Ada\"", "\"A\\nda\"")), "name.given[0]");
        assertBadParameter(post(tenant, "/patients", patient("\"home\"", "\"" + "h".repeat(65) + "\"")),
                "telecom[0].use");
        assertBadParameter(post(tenant, "/patients", patient("\"phone\"", "\"ph\\u001bone\"")), "telecom[0].system");
        assertBadParameter(post(tenant, "/patients", patient("Springfield", "Spring\\ud800field")), "address.city");
        assertBadParameter(post(tenant, "/patients", patient("\"1980-12-10\"", "\"-5000-01-01\"")), "birthDate");
        assertBadParameter(post(tenant, "/patients", patient("\"1980-12-10\"", "\"1799-12-31\"")), "birthDate");
        assertBadParameter(post(tenant, "/patients", patient("\"value\": \"1\"}]", "\"value\": \"1\"}, null]")),
                "identifiers[1]");
        assertBadParameter(post(tenant, "/patients", patient("\"mrn\": \"MRN-X\",", "\"mrn\": \"A\", \"mrn\": \"B\",")),
                "mrn");
        assertBadParameter(post(tenant, "/patients", patient("\"city\": \"Springfield\",",
                "\"city\": \"Springfield\", \"city\": \"Shelbyville\",")), "address.city");
        assertProblem(post(tenant, "/patients", patient("\"female\"", "[".repeat(100) + "]".repeat(100))), 400);

        String heartRate = heartRate(patient, stay, 70);
        String quantity = "{\"quantity\": {\"value\": 70, \"unit\": \"/min\"}}";
        assertBadParameter(post(tenant, "/observations", heartRate.replace("2025-03-01T09:00:00Z",
                "0000-03-01T09:00:00Z")), "effectiveAt");
        assertBadParameter(post(tenant, "/observations", heartRate.replace("\"value\": 70", "\"value\": 1e10000")),
                "value.quantity.value");
        assertBadParameter(post(tenant, "/observations", heartRate.replace("\"value\": 70", "\"value\": 1e-400")),
                "value.quantity.value");
        assertBadParameter(post(tenant, "/observations", heartRate.replace("\"low\": 60", "\"low\": 1e10000")),
                "referenceRange.low");
        assertBadParameter(post(tenant, "/observations", heartRate.replace("\"high\": 100", "\"high\": 0.0000001")),
                "referenceRange.high");
        assertBadParameter(post(tenant, "/observations", heartRate.replace("\"/min\"", "\"/m\\u0000in\"")),
                "value.quantity.unit");
        assertProblem(post(tenant, "/observations", heartRate.replace("\"value\": 70", "\"value\": NaN")), 400);
        assertBadParameter(post(tenant, "/observations", heartRate.replace(quantity, panel(21, false))),
                "value.components");
        Api.Response nested = post(tenant, "/observations", heartRate.replace(quantity, panel(2, true)));
        assertProblem(nested, 400);
        assertThat(nested.body().findValuesAsText("field")).containsExactlyInAnyOrder(
                "value.components[0].value.components", "value.components[1].value.components");
        assertBadParameter(post(tenant, "/observations/batch", "{\"observations\": [" + heartRate + ", null]}"),
                "observations[1]");
        assertBadParameter(post(tenant, "/observations/batch", "{\"observations\": [" + heartRate + ", "
                + heartRate.replace("Heart rate", "Heart\\u0007rate") + "]}"), "observations[1].code.display");

        assertThat(commandSideCounts(tenant)).isEqualTo(before);
        Api.Response free = post(tenant, "/observations", heartRate.replace(quantity, "{\"string\": \"clear,\\n\\tno"
                + " odour\"}").replace(", \"referenceRange\": {\"low\": 60, \"high\": 100}", ""));
        assertThat(free.status()).as("tab and newline are allowed in free text: " + free).isEqualTo(201);
    }

    private static String panel(int components, boolean nested) {
        String inner = "{\"code\": {\"system\": \"http://loinc.org\", \"code\": \"8480-6\"}, \"value\": "
                + (nested ? "{\"components\": [{\"code\": {\"system\": \"s\", \"code\": \"c\"}, \"value\":"
                + " {\"boolean\": true}}]}" : "{\"quantity\": {\"value\": 120, \"unit\": \"mm[Hg]\"}}") + "}";
        return "{\"components\": [" + String.join(", ", Collections.nCopies(components, inner)) + "]}";
    }

    @Test
    void an_id_of_another_kind_of_record_is_404() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-1");
        String stay = newEncounter(tenant, patient, facility, "IMP");
        String observation = post(tenant, "/observations", heartRate(patient, stay, 70)).body()
                .get("observationId").asText();
        Map<String, Long> before = commandSideCounts(tenant);

        assertProblem(post(tenant, "/encounters/" + patient + "/transfer",
                "{\"location\": \"Ward 2\", \"at\": \"2025-03-01T10:00:00Z\"}"), 404);
        assertProblem(post(tenant, "/patients/" + observation + "/deceased",
                "{\"deceasedAt\": \"2025-03-01T10:00:00Z\"}"), 404);
        assertProblem(post(tenant, "/observations/" + stay + "/amend",
                "{\"value\": {\"boolean\": true}, \"reason\": \"typo\"}"), 404);
        assertProblem(post(tenant, "/patients/" + facility + "/merge", "{\"survivorId\": \"" + patient + "\"}"), 404);
        assertProblem(post(tenant, "/encounters/" + observation + "/cancel", "{\"reason\": \"x\"}"), 404);
        assertProblem(api.put("/api/v1/" + tenant + "/patients/" + stay + "/demographics").token(CLINICIAN).json("""
                {"name": {"family": "F"}, "birthDate": "1980-12-10", "gender": "female"}""").send(), 404);
        assertThat(commandSideCounts(tenant)).isEqualTo(before);
    }

    @Test
    void the_limits_are_in_the_openapi_description() {
        JsonNode schemas = api.get("/v3/api-docs").send().body().get("components").get("schemas");

        assertThat(schemas.at("/NameBody/properties/family/maxLength").asInt()).isEqualTo(200);
        assertThat(schemas.at("/NameBody/properties/given/maxItems").asInt()).isEqualTo(10);
        assertThat(schemas.at("/TelecomBody/properties/use/maxLength").asInt()).isEqualTo(64);
        assertThat(schemas.at("/RegisterPatientRequest/properties/identifiers/maxItems").asInt()).isEqualTo(20);
        assertThat(schemas.at("/CancelRequest/properties/reason/maxLength").asInt()).isEqualTo(500);
        assertThat(schemas.at("/RecordObservationRequest/properties/effectiveAt/description").asText())
                .contains("1800-01-01");
        assertThat(schemas.at("/RecordObservationRequest/properties/value/description").asText())
                .contains("1 to 20 components");
        assertThat(schemas.at("/BatchRequest/properties/observations/maxItems").asInt()).isEqualTo(1000);
    }
}
