package org.clinical.query.audit;

import io.micrometer.core.instrument.MeterRegistry;
import org.clinical.infra.region.Regions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** The access log: one group-commit writer per region, and the partitions' maintenance. */
@Configuration
@EnableConfigurationProperties(AccessLogProperties.class)
public class AccessLogConfiguration {

    @Bean
    AccessLog accessLog(Regions regions, AccessLogProperties properties, Clock clock, MeterRegistry meters) {
        Map<String, AccessLogWriter> writers = new LinkedHashMap<>();
        for (String region : regions.names()) {
            writers.put(region, new AccessLogWriter(region, regions.region(region).dataSource(), properties, meters));
        }
        return new AccessLog(writers, clock, properties.maxWait(), meters);
    }

    @Bean
    AccessLogPartitions accessLogPartitions(Regions regions, AccessLogProperties properties, Clock clock) {
        return new AccessLogPartitions(regions, clock, properties.retention(), properties.monthsAhead());
    }
}
