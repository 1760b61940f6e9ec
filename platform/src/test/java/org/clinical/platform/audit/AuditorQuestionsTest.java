package org.clinical.platform.audit;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.infra.tenant.ActiveTenants;
import org.clinical.platform.read.AtPosition;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.clinical.platform.support.TestDatabase;
import org.clinical.platform.support.Tokens;
import org.clinical.projections.audit.AuditSealer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9's "done when", through the API alone: an auditor asks what a chart said at an instant, who changed it
 * since, who has looked at it, and whether anything stored was altered, and each answer matches what happened.
 */
class AuditorQuestionsTest extends PlatformTest {

    private static final String AUDITOR = Tokens.token("auditor-q", List.of("auditor"), List.of("*"));
    private static final String WILSON = Tokens.token("dr-wilson", List.of("clinician"), List.of("*"));
    private static final String CUDDY = Tokens.token("dr-cuddy", List.of("clinician"), List.of("*"));

    @Autowired
    private AuditSealer sealer;
    @Autowired
    private ActiveTenants tenants;

    @Test
    void what_the_chart_said_who_changed_it_since_who_looked_at_it_and_whether_anything_was_altered()
            throws Exception {
        String tenant = newTenant();
        String base = "/api/v1/" + tenant;
        String patient = newPatient(tenant, "MRN-Q");
        Api.Response rate = api.post(base + "/observations").token(CLINICIAN)
                .json(heartRate(patient, null, 72)).send();
        assertThat(rate.status()).as(rate.toString()).isEqualTo(201);
        String observation = rate.body().get("observationId").asText();
        JsonNode said = AtPosition.get(api, base + "/patients/" + patient, CLINICIAN, rate.position()).body();
        Instant noon = Instant.now(); // the platform runs in this JVM: later commands are stamped after it

        Api.Response renamed = api.put(base + "/patients/" + patient + "/demographics").token(WILSON).json("""
                {"name": {"family": "Renamed", "given": ["Ada"]}, "birthDate": "1980-12-10", "gender": "female"}""")
                .send();
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        Api.Response amended = api.post(base + "/observations/" + observation + "/amend").token(WILSON)
                .json("{\"value\": {\"quantity\": {\"value\": 96, \"unit\": \"/min\"}}, \"reason\": \"misread\"}")
                .send();
        assertThat(amended.status()).as(amended.toString()).isEqualTo(200);
        Api.Response looked = api.get(base + "/patients/" + patient).token(CUDDY)
                .header("X-Min-Position", Long.toString(amended.position())).header("X-Purpose-Of-Use", "TREAT")
                .send();
        assertThat(looked.status()).as(looked.toString()).isEqualTo(200);
        assertThat(looked.body().at("/name/family").asText()).isEqualTo("Renamed");

        // What did the chart say at noon? What it said when read then, not today's read model.
        JsonNode chart = auditor(base + "/audit/patients/" + patient + "?asOf=" + noon).body();
        assertThat(chart.get("name")).isEqualTo(said.get("name"));
        assertThat(chart.get("latestVitals")).isEqualTo(said.get("latestVitals"));
        assertThat(chart.at("/latestVitals/0/value/quantity/value").decimalValue()).isEqualByComparingTo("72");

        // Who changed it since? Every event of the patient's history recorded after noon, with its actor.
        List<String> since = new ArrayList<>();
        for (JsonNode event : auditor(base + "/audit/patients/" + patient + "/events").body().get("items")) {
            if (Instant.parse(event.get("recordedAt").asText()).isAfter(noon)) {
                since.add(event.get("actor").asText() + " " + event.get("type").asText());
            }
        }
        assertThat(since).containsExactly("dr-wilson PatientDemographicsUpdated", "dr-wilson ObservationAmended");

        // Who has looked at it? Every read of the patient's data, by whom, through which endpoint, and why.
        List<String> reads = new ArrayList<>();
        for (JsonNode entry : auditor(base + "/audit/access-log?patientId=" + patient).body().get("items")) {
            reads.add(entry.get("actor").asText() + " " + entry.get("endpoint").asText() + " "
                    + entry.get("purposeOfUse").asText());
        }
        assertThat(reads).startsWith("dr-house GET /api/v1/{tenant}/patients/{id} null",
                "dr-cuddy GET /api/v1/{tenant}/patients/{id} TREAT");

        // Has anything stored been altered? Not yet; then a superuser rewrites the rename, and verify names it.
        sealer.seal(tenants.require(tenant));
        JsonNode intact = auditor(base + "/audit/verify").body();
        assertThat(intact.get("valid").asBoolean()).as(intact.toString()).isTrue();
        assertThat(intact.get("checkedEvents").asLong()).isEqualTo(eventCount(tenant));
        try (Connection c = TestDatabase.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("set local session_replication_role = replica");
            assertThat(st.executeUpdate("update " + schema(tenant) + ".domain_event_entry set payload = convert_to("
                    + "replace(convert_from(payload, 'UTF8'), 'Renamed', 'Innocent'), 'UTF8') where global_index = "
                    + renamed.position())).isEqualTo(1);
            c.commit();
        }
        JsonNode altered = auditor(base + "/audit/verify").body();
        assertThat(altered.get("valid").asBoolean()).isFalse();
        assertThat(altered.get("firstBrokenPosition").asLong()).isEqualTo(renamed.position());
    }

    private Api.Response auditor(String path) {
        Api.Response response = api.get(path).token(AUDITOR).send();
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response;
    }
}
