package org.clinical.platform.read;

import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code X-Min-Position}: a read waits for the projections to reach a command's position, at most 2 s. */
class ReadYourWritesTest extends PlatformTest {

    @Test
    void a_read_right_after_a_write_with_its_position_sees_the_write() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "MAIN");
        String patient = newPatient(tenant, "MRN-1");
        Api.Response started = startEncounter(tenant, patient, facility, "IMP");
        Api.Response recorded = api.post("/api/v1/" + tenant + "/observations").token(CLINICIAN)
                .json(heartRate(patient, started.body().get("encounterId").asText(), 77)).send();

        Api.Response summary = api.get("/api/v1/" + tenant + "/patients/" + patient).token(CLINICIAN)
                .header("X-Min-Position", String.valueOf(recorded.position())).send();

        assertThat(summary.status()).as(summary.toString()).isEqualTo(200);
        assertThat(summary.body().get("openEncounter").get("encounterId").asText())
                .isEqualTo(started.body().get("encounterId").asText());
        assertThat(summary.body().get("latestVitals").get(0).get("value").get("quantity").get("value").asInt())
                .isEqualTo(77);
    }

    @Test
    void a_position_the_projections_do_not_reach_in_time_answers_503_with_retry_after() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        Instant asked = Instant.now();

        Api.Response behind = api.get("/api/v1/" + tenant + "/patients/" + patient).token(CLINICIAN)
                .header("X-Min-Position", String.valueOf(eventCount(tenant) + 1_000_000)).send();

        assertThat(behind.status()).isEqualTo(503);
        assertThat(behind.header("Retry-After")).isEqualTo("1");
        assertThat(behind.contentType()).startsWith("application/problem+json");
        assertThat(behind.body().get("type").asText()).isEqualTo("urn:clinical:problem:projections-behind");
        assertThat(Duration.between(asked, Instant.now())).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(5));
    }

    @Test
    void a_malformed_min_position_answers_400() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        for (String bad : new String[]{"abc", "-1", "1.5"}) {
            Api.Response answer = api.get("/api/v1/" + tenant + "/patients/" + patient).token(CLINICIAN)
                    .header("X-Min-Position", bad).send();
            assertThat(answer.status()).as(bad).isEqualTo(400);
            assertThat(answer.body().get("errors").get(0).get("field").asText()).isEqualTo("X-Min-Position");
        }
    }
}
