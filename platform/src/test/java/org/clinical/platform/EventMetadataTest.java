package org.clinical.platform;

import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.clinical.platform.support.Tokens;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class EventMetadataTest extends PlatformTest {

    private static String metadata(String tenant, String aggregateId, String key) {
        return queryString("select convert_from(meta_data, 'UTF8')::jsonb->>? from " + schema(tenant)
                + ".domain_event_entry where aggregate_identifier = ? order by sequence_number desc limit 1",
                key, aggregateId);
    }

    @Test
    void a_sent_correlation_id_is_echoed_and_stored_with_the_event() {
        String tenant = newTenant();

        Api.Response created = api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN)
                .header("X-Correlation-Id", "ward-7:admission-42").json(patientBody("MRN-1")).send();

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("X-Correlation-Id")).isEqualTo("ward-7:admission-42");
        assertThat(metadata(tenant, created.body().get("patientId").asText(), "correlationId"))
                .isEqualTo("ward-7:admission-42");
    }

    @Test
    void without_a_correlation_id_a_generated_one_is_echoed_and_stored() {
        String tenant = newTenant();

        Api.Response first = api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN)
                .json(patientBody("MRN-1")).send();
        Api.Response second = api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN)
                .json(patientBody("MRN-2")).send();

        String generated = first.header("X-Correlation-Id");
        assertThat(generated).isNotBlank();
        assertThat(second.header("X-Correlation-Id")).isNotBlank().isNotEqualTo(generated);
        assertThat(metadata(tenant, first.body().get("patientId").asText(), "correlationId")).isEqualTo(generated);
        assertThat(metadata(tenant, second.body().get("patientId").asText(), "correlationId"))
                .isEqualTo(second.header("X-Correlation-Id"));
    }

    @Test
    void an_unacceptable_correlation_id_is_replaced_by_a_generated_one() {
        String tenant = newTenant();

        Api.Response created = api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN)
                .header("X-Correlation-Id", "x".repeat(200)).json(patientBody("MRN-1")).send();

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String echoed = created.header("X-Correlation-Id");
        assertThat(echoed).isNotBlank().isNotEqualTo("x".repeat(200));
        assertThat(metadata(tenant, created.body().get("patientId").asText(), "correlationId")).isEqualTo(echoed);
    }

    @Test
    void the_actor_is_the_subject_of_the_token() {
        String tenant = newTenant();
        String nurse = Tokens.token("nurse-joy", List.of("clinician"), List.of(tenant));

        Api.Response byNurse = api.post("/api/v1/" + tenant + "/patients").token(nurse)
                .json(patientBody("MRN-1")).send();
        String patientByDoctor = newPatient(tenant, "MRN-2");

        assertThat(byNurse.status()).as(byNurse.toString()).isEqualTo(201);
        assertThat(metadata(tenant, byNurse.body().get("patientId").asText(), "actor")).isEqualTo("nurse-joy");
        assertThat(metadata(tenant, patientByDoctor, "actor")).isEqualTo("dr-house");
        assertThat(queryString("select convert_from(meta_data, 'UTF8')::jsonb->>'actor' from " + schema(tenant)
                + ".domain_event_entry where payload_type = 'TenantCreated'")).isEqualTo("admin-ops");
    }

    @Test
    void every_command_gives_its_events_a_causation_id_of_their_own() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        Api.Response updated = api.put("/api/v1/" + tenant + "/patients/" + patient + "/demographics")
                .token(CLINICIAN).header("X-Correlation-Id", "same-request")
                .json("{\"name\": {\"family\": \"Byron\"}, \"birthDate\": \"1980-12-10\", \"gender\": \"female\"}")
                .send();
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);

        List<String> causations = queryStrings("select convert_from(meta_data, 'UTF8')::jsonb->>'causationId' from "
                + schema(tenant) + ".domain_event_entry where aggregate_identifier = ? order by sequence_number", patient);
        List<String> eventIds = queryStrings("select event_identifier from " + schema(tenant)
                + ".domain_event_entry where aggregate_identifier = ? order by sequence_number", patient);

        assertThat(causations).hasSize(2).doesNotContainNull().doesNotHaveDuplicates();
        causations.forEach(causation -> assertThat(causation).isNotBlank());
        assertThat(causations).doesNotContainAnyElementsOf(eventIds);
    }

    @Test
    void the_events_of_one_batch_share_the_causation_of_their_command() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");

        Api.Response created = api.post("/api/v1/" + tenant + "/observations/batch").token(CLINICIAN)
                .header("X-Correlation-Id", "batch-" + UUID.randomUUID())
                .json("{\"observations\": [" + heartRate(patient, null, 70) + "," + heartRate(patient, null, 71) + "]}")
                .send();

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        List<String> causations = queryStrings("select distinct convert_from(meta_data, 'UTF8')::jsonb->>'causationId'"
                + " from " + schema(tenant) + ".domain_event_entry where payload_type = 'ObservationRecorded'");
        List<String> correlations = queryStrings("select distinct convert_from(meta_data, 'UTF8')::jsonb->>"
                + "'correlationId' from " + schema(tenant) + ".domain_event_entry where payload_type = 'ObservationRecorded'");
        assertThat(causations).hasSize(1).doesNotContainNull();
        assertThat(correlations).containsExactly(created.header("X-Correlation-Id"));
        assertThat(causations.get(0)).isNotEqualTo(metadata(tenant, patient, "causationId"));
    }
}
