package org.clinical.platform;

import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Redis and Kafka unreachable (closed ports on the loopback), health says DOWN, while commands, which need
 * neither, are still accepted and stored.
 */
@TestPropertySource(properties = {
        "spring.data.redis.url=redis://127.0.0.1:1",
        "clinical.kafka.bootstrap-servers=127.0.0.1:1"})
class DegradedDependenciesTest extends PlatformTest {

    @Test
    void health_is_down_without_redis_and_kafka_but_commands_are_still_stored() {
        Api.Response health = api.get("/actuator/health").send();
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-DEGRADED");

        assertThat(health.status()).isEqualTo(503);
        assertThat(health.body().get("status").asText()).isEqualTo("DOWN");
        assertThat(patient).isNotBlank();
        assertThat(eventCount(tenant)).isEqualTo(2);
    }
}
