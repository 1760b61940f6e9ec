package org.clinical.platform.edge;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.clinical.platform.support.TestDatabase;
import org.clinical.platform.support.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Names and values a clinician sent never reach the platform's log, whatever happens to them: accepted,
 * refused by a rule, refused at the edge (Jackson and Bean Validation quote what they refuse), or stored and
 * then refused by a read model (the driver's error and Axon's warning), nor what reads answered or were asked:
 * the audit history and its stream, search by name, refused parameters. The whole log of the run is scanned.
 */
@ExtendWith(OutputCaptureExtension.class)
class PhiStaysOutOfLogsTest extends PlatformTest {

    private static final String AUDITOR = Tokens.token("auditor-phi", List.of("auditor"), List.of("*"));

    @Test
    void names_and_values_sent_by_clients_never_reach_the_log(CapturedOutput log) throws Exception {
        String marker = "Zq" + new Random().ints(10, 'a', 'z' + 1)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append);
        String tenant = newTenant();
        String patients = "/api/v1/" + tenant + "/patients";
        String registration = """
                {"mrn": "M-%1$s", "name": {"family": "%1$s", "given": ["%1$s"]}, "birthDate": "1980-12-10",
                 "gender": "female", "telecom": [{"system": "phone", "value": "+41 %1$s"}]}""".formatted(marker);
        Api.Response registered = api.post(patients).token(CLINICIAN).json(registration).send();
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        String patient = registered.body().get("patientId").asText();

        assertThat(api.post(patients).token(CLINICIAN).json(registration).send().status()).isEqualTo(409);
        assertThat(api.post(patients + "/" + patient + "/deceased").token(CLINICIAN)
                .json("{\"deceasedAt\": \"1901-01-01T00:00:00Z\"}").send().status()).isEqualTo(400);
        for (String hostile : new String[]{
                registration.replace("\"1980-12-10\"", "\"" + marker + "\""),
                registration.replace("\"female\"", "\"" + marker + "\""),
                registration.replace("\"given\": [\"" + marker + "\"]", "\"given\": [\"\\u0001" + marker + "\"]"),
                registration.replace("\"gender\"", "\"" + marker + "\": 1, \"gender\""),
                "{\"mrn\": \"" + marker + "\", \"mrn\": \"" + marker + "\"}",
                "{\"mrn\": \"" + marker}) {
            Api.Response refused = api.post(patients).token(CLINICIAN).json(hostile).send();
            assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        }
        Api.Response observed = api.post("/api/v1/" + tenant + "/observations").token(CLINICIAN).json("""
                {"patientId": "%s", "code": {"system": "http://loinc.org", "code": "8867-4"},
                 "effectiveAt": "2025-03-01T09:00:00Z", "value": {"string": "%s"}}""".formatted(patient, marker))
                .send();
        assertThat(observed.status()).as(observed.toString()).isEqualTo(201);

        // A stored registration the read model cannot hold (a NUL after the name): dead-lettered, logged by Axon.
        String poison = UUID.randomUUID().toString();
        String events = schema(tenant) + ".domain_event_entry";
        try (Connection c = TestDatabase.connect(); var ps = c.prepareStatement("""
                insert into %s (event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                                payload_type, payload_revision, payload, meta_data)
                select gen_random_uuid()::text, ?, 0, type, time_stamp, payload_type, payload_revision,
                       convert_to(replace(replace(replace(convert_from(payload, 'UTF8'), aggregate_identifier, ?),
                                  'M-' || ?, 'P-' || ?), '"' || ? || '"', '"' || ? || '\\u0000"'), 'UTF8'),
                       meta_data
                from %s where aggregate_identifier = ? and sequence_number = 0""".formatted(events, events))) {
            ps.setString(1, poison);
            ps.setString(2, poison);
            ps.setString(3, marker);
            ps.setString(4, marker);
            ps.setString(5, marker);
            ps.setString(6, marker);
            ps.setString(7, patient);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        awaitDeadLetter(tenant);
        readAsAuditorAndClinician(tenant, patient, marker);

        assertThat(log.getAll()).as("the capture holds the processor's warning of the failed batch")
                .contains("Aborting Work Package");
        assertThat(log.getAll()).as("the log of the run").doesNotContain(marker);
    }

    /**
     * The reads that answer the marker back (the audit history and its stream hold the stored payloads, search
     * finds the name) and reads whose parameters carry it, accepted or refused: the answers may hold it, the log
     * may not.
     */
    private void readAsAuditorAndClinician(String tenant, String patient, String marker) {
        String base = "/api/v1/" + tenant;
        String history = base + "/audit/patients/" + patient + "/events";
        Api.Response events = api.get(base + "/audit/events").token(AUDITOR).send();
        assertThat(events.status()).as(events.toString()).isEqualTo(200);
        assertThat(events.raw().body()).as("the history answers what was stored").contains(marker);
        assertThat(api.get(history).token(AUDITOR).send().raw().body()).contains(marker);
        for (String path : new String[]{base + "/audit/events", history}) {
            Api.Response streamed = api.get(path).token(AUDITOR).header("Accept", "application/x-ndjson").send();
            assertThat(streamed.status()).as(streamed.toString()).isEqualTo(200);
            assertThat(streamed.raw().body()).contains(marker);
        }
        Api.Response found = api.get(base + "/patients?name=" + marker).token(CLINICIAN).send();
        assertThat(found.status()).as(found.toString()).isEqualTo(200);
        assertThat(api.get(base + "/audit/events?actor=" + marker + "&type=" + marker).token(AUDITOR).send()
                .body().get("items")).isEmpty();
        for (String refused : new String[]{"/audit/events?from=" + marker, "/audit/events?cursor=" + marker,
                "/patients/" + marker, "/audit/patients/" + marker + "/events"}) {
            int status = api.get(base + refused).token(AUDITOR).send().status();
            assertThat(status).as(refused).isBetween(400, 404);
        }
    }

    private void awaitDeadLetter(String tenant) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            JsonNode items = api.get("/api/v1/" + tenant + "/projections").token(ADMIN).send().body().get("items");
            for (JsonNode item : items) {
                if (item.get("name").asText().equals("patients") && item.get("deadLetters").asLong() == 1
                        && item.get("position").asLong() == item.get("head").asLong()) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the poison registration was not set aside within 60 s");
    }
}
