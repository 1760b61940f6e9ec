package org.clinical.infra.kafka.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.serialization.Serializer;
import org.clinical.infra.eventstore.TenantEventStores;
import org.clinical.infra.kafka.KafkaClients;
import org.clinical.infra.kafka.KafkaProperties;
import org.clinical.infra.processing.TenantProcessors;
import org.clinical.infra.region.Regions;
import org.clinical.infra.tenant.ActiveTenants;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The event publisher's wiring: apart from {@code KafkaConfiguration}, since it needs the tenants' event stores. */
@Configuration(proxyBeanMethods = false)
public class KafkaPublishing {

    @Bean(destroyMethod = "close")
    public KafkaPublishers kafkaPublishers(KafkaProperties kafka, KafkaClients clients, TenantEventStores eventStores,
                                           TenantProcessors processors, ActiveTenants tenants, Regions regions,
                                           ObjectMapper json, Serializer serializer, MeterRegistry meters) {
        return new KafkaPublishers(kafka, clients, eventStores, processors, tenants, regions, json, serializer,
                meters);
    }
}
