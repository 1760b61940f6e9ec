package org.clinical.platform.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.clinical.platform.read.AtPosition;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.clinical.platform.support.TestDatabase;
import org.clinical.platform.support.Tokens;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An auditor asks what a chart said at an instant ({@code GET /audit/patients/{id}?asOf=}): at every instant
 * between the commands of a chart's life, the answer rebuilt from the events is the live summary as it was read
 * then; {@code effectiveAsOf} answers what was clinically true at a time, as known at asOf (docs/read-models.md,
 * "audit", "As of").
 */
class AuditChartTest extends PlatformTest {

    private static final String AUDITOR = Tokens.token("auditor-aud", List.of("auditor"), List.of("*"));
    /** What the as-of answer adds to the live summary's fields. */
    private static final List<String> AS_OF_FIELDS = List.of("asOf", "effectiveAsOf", "position", "provisional");

    /** The live summary read at a command's position, and an instant taken after that read. */
    private record Moment(Instant at, long position, JsonNode live) {
    }

    @Test
    void at_every_instant_between_commands_the_chart_as_of_it_is_the_live_summary_read_then() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "MAIN");
        List<Moment> moments = new ArrayList<>();
        Api.Response registered = command(tenant, "POST", "/patients", patientBody("MRN-1"));
        String patient = registered.body().get("patientId").asText();
        moments.add(moment(tenant, patient, registered));
        moments.add(moment(tenant, patient, command(tenant, "PUT", "/patients/" + patient + "/demographics", """
                {"name": {"family": "Byron", "given": ["Ada", "Augusta"]}, "birthDate": "1980-12-10",
                 "gender": "female", "telecom": [{"system": "phone", "value": "555-0100", "use": "home"}]}""")));
        Api.Response started = command(tenant, "POST", "/encounters", """
                {"patientId": "%s", "class": "IMP", "facilityId": "%s", "location": "Ward 1",
                 "startedAt": "2025-03-01T08:00:00Z"}""".formatted(patient, facility));
        String encounter = started.body().get("encounterId").asText();
        moments.add(moment(tenant, patient, started));
        Api.Response rate = command(tenant, "POST", "/observations", heartRate(patient, encounter, 80));
        String rateId = rate.body().get("observationId").asText();
        moments.add(moment(tenant, patient, rate));
        moments.add(moment(tenant, patient, command(tenant, "POST", "/encounters/" + encounter + "/transfer",
                "{\"location\": \"Ward 2\", \"at\": \"2025-03-01T12:30:00Z\"}")));
        moments.add(moment(tenant, patient, command(tenant, "POST", "/observations/" + rateId + "/amend",
                "{\"value\": {\"quantity\": {\"value\": 120.50, \"unit\": \"/min\"}}, \"reason\": \"misread\"}")));
        Api.Response later = command(tenant, "POST", "/observations", vital(patient, encounter, "8867-4",
                "2025-03-01T13:30:00Z", 85));
        moments.add(moment(tenant, patient, later));
        moments.add(moment(tenant, patient, command(tenant, "POST", "/observations/"
                + later.body().get("observationId").asText() + "/entered-in-error", "{\"reason\": \"wrong device\"}")));
        moments.add(moment(tenant, patient, command(tenant, "POST", "/observations", vital(patient, encounter,
                "9279-1", "2025-03-01T09:00:00Z", 16))));
        moments.add(moment(tenant, patient, command(tenant, "POST", "/encounters/" + encounter + "/discharge",
                "{\"at\": \"2025-03-01T15:30:00Z\"}")));
        Api.Response second = command(tenant, "POST", "/encounters", """
                {"patientId": "%s", "class": "AMB", "facilityId": "%s", "location": "Clinic 3",
                 "startedAt": "2025-03-01T15:45:00Z"}""".formatted(patient, facility));
        moments.add(moment(tenant, patient, second));
        moments.add(moment(tenant, patient, command(tenant, "POST", "/patients/" + patient + "/deceased",
                "{\"deceasedAt\": \"2025-03-01T16:30:00Z\"}")));

        assertThat(moments.get(7).live()).as("entered in error: the amended heart rate is back")
                .isEqualTo(moments.get(5).live());
        for (Moment m : moments) {
            JsonNode chart = chart(tenant, patient, "asOf=" + m.at());
            assertThat(summaryPart(chart)).as("as of %s", m.at()).isEqualTo(m.live());
            assertThat(chart.get("asOf").asText()).isEqualTo(m.at().toString());
            assertThat(chart.get("effectiveAsOf").isNull()).isTrue();
            assertThat(chart.get("position").asLong()).as("the command's last event").isEqualTo(m.position());
            assertThat(chart.get("provisional").asBoolean()).as("less than 10 minutes ago").isTrue();
        }
        Instant beforeRegistration = moments.get(0).at().minus(1, ChronoUnit.HOURS);
        Api.Response none = get(tenant, patient, "asOf=" + beforeRegistration);
        assertProblem(none, 404);
        assertThat(none.body().get("detail").asText()).contains(patient).contains("recorded by");

        // clinically as of a time, as known now: the back-dated encounter, transfer, discharge and observations
        JsonNode noon = chart(tenant, patient, "effectiveAsOf=2025-03-01T12:00:00Z");
        assertThat(noon.at("/openEncounter/encounterId").asText()).isEqualTo(encounter);
        assertThat(noon.at("/openEncounter/location").asText()).as("the transfer was at 12:30").isEqualTo("Ward 1");
        assertThat(noon.get("latestVitals")).extracting(v -> v.at("/code/code").asText())
                .containsExactly("8867-4", "9279-1");
        assertThat(noon.at("/latestVitals/0/observationId").asText()).isEqualTo(rateId);
        assertThat(noon.at("/latestVitals/0/status").asText()).as("the amendment as known now").isEqualTo("amended");
        assertThat(noon.at("/latestVitals/0/value/quantity/value").decimalValue()).isEqualByComparingTo("120.50");
        assertThat(noon.get("deceasedAt").isNull()).isTrue();
        assertThat(noon.get("effectiveAsOf").asText()).isEqualTo("2025-03-01T12:00:00Z");
        JsonNode afterNoon = chart(tenant, patient, "effectiveAsOf=2025-03-01T13:00:00Z");
        assertThat(afterNoon.at("/openEncounter/location").asText()).isEqualTo("Ward 2");
        assertThat(chart(tenant, patient, "effectiveAsOf=2025-03-01T15:40:00Z").get("openEncounter").isNull())
                .as("discharged at 15:30, the next encounter started at 15:45").isTrue();
        assertThat(chart(tenant, patient, "effectiveAsOf=2025-03-01T15:50:00Z").at("/openEncounter/encounterId")
                .asText()).isEqualTo(second.body().get("encounterId").asText());
        assertThat(chart(tenant, patient, "effectiveAsOf=2025-03-01T07:00:00Z").get("latestVitals")).isEmpty();
        assertThat(chart(tenant, patient, "effectiveAsOf=2025-03-01T17:00:00Z").get("deceasedAt").asText())
                .isEqualTo("2025-03-01T16:30:00Z");
        JsonNode knownThen = chart(tenant, patient, "asOf=" + moments.get(4).at()
                + "&effectiveAsOf=2025-03-01T12:00:00Z");
        assertThat(knownThen.at("/latestVitals/0/status").asText()).as("not amended yet at asOf").isEqualTo("final");
        assertThat(knownThen.at("/latestVitals/0/value/quantity/value").asInt()).isEqualTo(80);
    }

    @Test
    void a_merged_patient_reads_as_it_was_before_and_after_the_merge_and_the_survivor_as_live() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "MAIN");
        String merged = newPatient(tenant, "MRN-1");
        String survivor = newPatient(tenant, "MRN-2");
        newEncounter(tenant, merged, facility, "AMB");
        Moment before = moment(tenant, merged, command(tenant, "POST", "/observations", heartRate(merged, null, 72)));
        Api.Response merge = command(tenant, "POST", "/patients/" + merged + "/merge",
                "{\"survivorId\": \"" + survivor + "\"}");
        Moment after = moment(tenant, merged, merge);
        Moment survivorNow = moment(tenant, survivor, merge);

        assertThat(summaryPart(chart(tenant, merged, "asOf=" + before.at()))).isEqualTo(before.live());
        assertThat(before.live().get("active").asBoolean()).isTrue();
        JsonNode mergedChart = chart(tenant, merged, "asOf=" + after.at());
        assertThat(summaryPart(mergedChart)).isEqualTo(after.live());
        assertThat(mergedChart.get("mergedInto").asText()).isEqualTo(survivor);
        assertThat(mergedChart.get("active").asBoolean()).isFalse();
        assertThat(summaryPart(chart(tenant, survivor, "asOf=" + survivorNow.at()))).isEqualTo(survivorNow.live());
        assertThat(chart(tenant, merged, "effectiveAsOf=" + before.at()).get("active").asBoolean())
                .as("clinically before the merge").isTrue();
    }

    @Test
    void an_old_revision_event_reads_through_the_upcasters_as_the_projections_read_it() throws SQLException {
        String tenant = newTenant();
        String template = newPatient(tenant, "MRN-TEMPLATE");
        String patient = UUID.randomUUID().toString();
        String payload = """
                {"patientId": "%s", "mrn": "MRN-OLD", "name": {"family": "Old", "given": ["Form"]},
                 "birthDate": "1950-01-02", "gender": "other", "telecom": [], "address": null}""".formatted(patient);
        long position;
        try (Connection c = TestDatabase.connect(); var insert = c.prepareStatement("insert into " + schema(tenant)
                + ".domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, time_stamp,"
                + " payload_type, payload_revision, payload, meta_data)"
                + " select ?, ?, 0, type, ?, payload_type, '1', ?, meta_data from " + schema(tenant)
                + ".domain_event_entry where aggregate_identifier = ? returning global_index")) {
            insert.setString(1, UUID.randomUUID().toString());
            insert.setString(2, patient);
            insert.setString(3, storedTime(Instant.now()));
            insert.setBytes(4, payload.getBytes(StandardCharsets.UTF_8));
            insert.setString(5, template);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                position = rs.getLong(1);
            }
        }
        JsonNode live = AtPosition.get(api, "/api/v1/" + tenant + "/patients/" + patient, CLINICIAN, position).body();
        Instant at = Instant.now();

        JsonNode chart = chart(tenant, patient, "asOf=" + at);
        assertThat(summaryPart(chart)).isEqualTo(live);
        assertThat(chart.get("identifiers")).as("revision 2 added identifiers: upcast to []").isEmpty();
        assertThat(chart.get("position").asLong()).isEqualTo(position);
    }

    @Test
    void bad_instants_unknown_patients_and_other_roles_are_refused() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        String path = "/api/v1/" + tenant + "/audit/patients/" + patient;

        assertBadParameter(api.get(path + "?asOf=yesterday").token(AUDITOR).send(), "asOf");
        assertBadParameter(api.get(path + "?asOf=2025-03-01T10:00:00").token(AUDITOR).send(), "asOf");
        assertBadParameter(api.get(path + "?effectiveAsOf=soon").token(AUDITOR).send(), "effectiveAsOf");
        assertBadParameter(api.get(path + "?asOf=" + Instant.now().plus(6, ChronoUnit.MINUTES)).token(AUDITOR)
                .send(), "asOf");
        assertBadParameter(api.get(path + "?effectiveAsOf=" + Instant.now().plus(6, ChronoUnit.MINUTES))
                .token(AUDITOR).send(), "effectiveAsOf");
        assertBadParameter(api.get(path + "?asOf=1799-12-31T23:59:59Z").token(AUDITOR).send(), "asOf");
        assertThat(api.get(path + "?asOf=" + Instant.now().plus(4, ChronoUnit.MINUTES)).token(AUDITOR).send()
                .status()).as("within the skew").isEqualTo(200);
        assertProblem(api.get("/api/v1/" + tenant + "/audit/patients/" + UUID.randomUUID()).token(AUDITOR).send(),
                404);
        assertProblem(api.get("/api/v1/" + tenant + "/audit/patients/not-a-uuid").token(AUDITOR).send(), 404);
        assertProblem(api.get(path).token(CLINICIAN).send(), 403);
        assertProblem(api.get(path).token(ANALYST).send(), 403);
    }

    /** The live summary at the command's position, then an instant after it. */
    private Moment moment(String tenant, String patient, Api.Response command) {
        long position = command.position();
        Api.Response live = AtPosition.get(api, "/api/v1/" + tenant + "/patients/" + patient, CLINICIAN, position);
        assertThat(live.status()).as(live.toString()).isEqualTo(200);
        return new Moment(Instant.now(), position, live.body());
    }

    private Api.Response command(String tenant, String method, String path, String body) {
        Api.Response response = api.call(method, "/api/v1/" + tenant + path).token(CLINICIAN).json(body).send();
        assertThat(response.status()).as(response.toString()).isIn(200, 201);
        return response;
    }

    private Api.Response get(String tenant, String patient, String query) {
        return api.get("/api/v1/" + tenant + "/audit/patients/" + patient + "?" + query).token(AUDITOR).send();
    }

    private JsonNode chart(String tenant, String patient, String query) {
        Api.Response response = get(tenant, patient, query);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.body();
    }

    /** The as-of answer without what it adds: the live summary's fields. */
    private static JsonNode summaryPart(JsonNode chart) {
        ObjectNode summary = chart.deepCopy();
        summary.remove(AS_OF_FIELDS);
        return summary;
    }

    private static String vital(String patient, String encounter, String code, String effectiveAt, int value) {
        return """
                {"patientId": "%s", "encounterId": "%s", "code": {"system": "http://loinc.org", "code": "%s"},
                 "category": "vital-signs", "effectiveAt": "%s",
                 "value": {"quantity": {"value": %d, "unit": "/min"}}, "referenceRange": {"low": 60, "high": 100}}"""
                .formatted(patient, encounter, code, effectiveAt, value);
    }

    private static String storedTime(Instant at) {
        return java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(at);
    }
}
