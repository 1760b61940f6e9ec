package org.clinical.query.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import org.clinical.infra.region.Regions;
import org.springframework.boot.autoconfigure.data.redis.ClientResourcesBuilderCustomizer;
import org.springframework.boot.autoconfigure.data.redis.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Duration;

/**
 * Redis as a fast path that must never slow a read down: commands time out quickly, fail at once while the
 * connection is down (instead of queueing until the timeout), and the client reconnects within a second of
 * Redis coming back.
 */
@Configuration
@EnableConfigurationProperties(CacheProperties.class)
public class CacheConfiguration {

    @Bean
    LettuceClientConfigurationBuilderCustomizer failFastRedis(CacheProperties properties) {
        return builder -> builder.commandTimeout(properties.commandTimeout())
                .clientOptions(ClientOptions.builder()
                        .autoReconnect(true)
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .socketOptions(SocketOptions.builder().connectTimeout(properties.commandTimeout()).build())
                        .timeoutOptions(TimeoutOptions.enabled(properties.commandTimeout()))
                        .build());
    }

    @Bean
    ClientResourcesBuilderCustomizer quickRedisReconnect() {
        return builder -> builder.reconnectDelay(
                Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, java.util.concurrent.TimeUnit.MILLISECONDS));
    }

    @Bean
    PatientCache patientCache(StringRedisTemplate redis, ObjectMapper json, CacheProperties properties,
                              MeterRegistry meters, Regions regions) {
        return new PatientCache(redis, json, properties, meters, new StaleTenants(regions));
    }
}
