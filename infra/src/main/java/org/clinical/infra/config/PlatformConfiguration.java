package org.clinical.infra.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.extensions.multitenancy.components.MultiTenantAwareComponent;
import org.axonframework.extensions.multitenancy.components.TenantDescriptor;
import org.axonframework.extensions.multitenancy.components.commandhandeling.MultiTenantCommandBus;
import org.axonframework.extensions.multitenancy.components.eventstore.MultiTenantEventStore;
import org.axonframework.messaging.Message;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.clinical.infra.command.CommandMetadata;
import org.clinical.infra.command.TenantCommandBuses;
import org.clinical.infra.eventstore.ClinicalSerializer;
import org.clinical.infra.eventstore.PatientRegisteredUpcaster;
import org.clinical.infra.eventstore.TenantEventStores;
import org.clinical.infra.processing.TenantProcessors;
import org.clinical.infra.region.Regions;
import org.clinical.infra.security.TenantAccess;
import org.clinical.infra.tenant.TenantActivation;
import org.clinical.infra.tenant.TenantClaims;
import org.clinical.infra.tenant.TenantDiscovery;
import org.clinical.infra.tenant.ActiveTenants;
import org.clinical.infra.tenant.TenantJdbc;
import org.clinical.infra.tenant.TenantRegistry;
import org.clinical.infra.tenant.TenantSchemas;
import org.clinical.infra.web.BodyLimits;
import org.clinical.infra.web.CorrelationIdFilter;
import org.clinical.infra.web.JsonLimits;
import org.clinical.infra.web.RequestBodyLimit;
import org.clinical.infra.web.StoredPosition;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.Ordered;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.PlatformTransactionManager;

import jakarta.servlet.DispatcherType;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.Collection;
import java.util.List;

/**
 * The platform's wiring on plain Axon parts, no Axon Server: one command bus segment and one JDBC event
 * store per tenant (axon-multitenancy), routed by the {@code tenant} metadata of each message, over the
 * databases of the tenants' regions.
 */
@Configuration
@EnableScheduling
@EnableConfigurationProperties({ClinicalProperties.class, BodyLimits.class})
public class PlatformConfiguration {

    @Bean(destroyMethod = "close")
    Regions regions(ClinicalProperties properties) {
        return new Regions(properties);
    }

    /** The {@code default} region's database, for Spring's own needs (health, the analysts' role...). */
    @Bean(destroyMethod = "")
    @Primary
    DataSource dataSource(Regions regions) {
        return regions.region(ClinicalProperties.DEFAULT_REGION).dataSource();
    }

    @Bean
    @Primary
    PlatformTransactionManager transactionManager(Regions regions) {
        return regions.region(ClinicalProperties.DEFAULT_REGION).transactionManager();
    }

    /** Ticks in microseconds: the precision PostgreSQL stores, so an answer never shows more than is kept. */
    @Bean
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), java.time.Duration.ofNanos(1_000));
    }

    /**
     * The HTTP API reads and writes decimals exactly as the stored events do, and reads bounded JSON only
     * ({@link JsonLimits}: nesting, number and string lengths, duplicate keys refused).
     */
    @Bean
    org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer exactDecimals() {
        return builder -> builder.postConfigurer(mapper -> JsonLimits.apply(ClinicalSerializer.exactDecimals(mapper)));
    }

    @Bean
    TenantRegistry tenantRegistry(Regions regions) {
        return new TenantRegistry(regions);
    }

    @Bean
    TenantClaims tenantClaims(Regions regions) {
        return new TenantClaims(regions);
    }

    @Bean
    TenantSchemas tenantSchemas(Regions regions) {
        return new TenantSchemas(regions);
    }

    @Bean
    ActiveTenants tenantDirectory() {
        return new ActiveTenants();
    }

    @Bean
    TenantJdbc tenantJdbc(ActiveTenants tenants, Regions regions) {
        return new TenantJdbc(tenants, regions);
    }

    @Bean
    StoredPosition storedPosition(Regions regions, ClinicalProperties properties) {
        return new StoredPosition(regions, properties.query().minPositionWait());
    }

    @Bean
    TenantAccess tenantAccess(ActiveTenants active, TenantRegistry registry, TenantActivation activation) {
        return new TenantAccess(active, registry, activation);
    }

    @Bean
    @Primary
    Serializer serializer() {
        return ClinicalSerializer.create();
    }

    @Bean
    @Qualifier("eventSerializer")
    Serializer eventSerializer(Serializer serializer) {
        return serializer;
    }

    @Bean
    @Qualifier("messageSerializer")
    Serializer messageSerializer(Serializer serializer) {
        return serializer;
    }

    @Bean
    EventUpcasterChain eventUpcasterChain() {
        return new EventUpcasterChain(new PatientRegisteredUpcaster());
    }

    @Bean(destroyMethod = "close")
    TenantEventStores tenantEventStores(ActiveTenants tenants, Regions regions, Serializer serializer,
                                        EventUpcasterChain upcasters, ClinicalProperties properties) {
        return new TenantEventStores(tenants, regions, serializer, upcasters, properties.projections().linger());
    }

    @Bean
    MultiTenantEventStore eventStore(TenantEventStores tenantEventStores) {
        return MultiTenantEventStore.builder()
                .tenantSegmentFactory(tenantEventStores)
                .targetTenantResolver(PlatformConfiguration::byTenantMetadata)
                .build();
    }

    /** Primary: Axon's auto-configured local bus (which ignores this type) then stays unused. */
    @Bean
    @Primary
    MultiTenantCommandBus multiTenantCommandBus(ActiveTenants tenants, Regions regions) {
        return MultiTenantCommandBus.builder()
                .tenantSegmentFactory(new TenantCommandBuses(tenants, regions))
                .targetTenantResolver(PlatformConfiguration::byTenantMetadata)
                .build();
    }

    @Bean
    TenantActivation tenantActivation(TenantSchemas schemas, ActiveTenants active,
                                      List<MultiTenantAwareComponent> components) {
        return new TenantActivation(schemas, active, components);
    }

    /** Routes a message to the tenant named in its metadata (or in that of the command being handled). */
    private static TenantDescriptor byTenantMetadata(Message<?> message, Collection<TenantDescriptor> known) {
        return TenantDescriptor.tenantWithId(CommandMetadata.tenantOf(message).orElse(""));
    }

    /** At start-up: migrate every region's platform schema, then bring every registered tenant up. */
    @Bean
    SmartInitializingSingleton activateRegisteredTenants(TenantSchemas schemas, TenantRegistry registry,
                                                         TenantActivation activation) {
        return () -> {
            schemas.migratePlatform();
            registry.all().forEach(activation::activate);
        };
    }

    /** Tenants created on other instances come to life here within 30 s, not only at their first request. */
    @Bean
    TenantDiscovery tenantDiscovery(TenantRegistry registry, ActiveTenants active, TenantActivation activation) {
        return new TenantDiscovery(registry, active, activation);
    }

    /** Also on error dispatches, so that {@code /error} answers with the failed request's correlation id. */
    @Bean
    FilterRegistrationBean<CorrelationIdFilter> correlationIdFilter() {
        FilterRegistrationBean<CorrelationIdFilter> registration =
                new FilterRegistrationBean<>(new CorrelationIdFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestBodyLimit> requestBodyLimit(BodyLimits limits, ObjectMapper mapper) {
        FilterRegistrationBean<RequestBodyLimit> registration =
                new FilterRegistrationBean<>(new RequestBodyLimit(limits, mapper));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    @Bean(destroyMethod = "close")
    TenantProcessors tenantProcessors(TenantEventStores eventStores, ActiveTenants tenants, Regions regions,
                                      Serializer serializer) {
        return new TenantProcessors(eventStores, tenants, regions, serializer);
    }

    /**
     * Every processing group is a per-tenant pooled streaming processor ({@link TenantProcessors}), and a
     * failing batch is retried, and an event that cannot be applied is set aside as a dead letter, never
     * skipped silently ({@link TenantProcessors}). Applied last, so no
     * other module's default processor factory replaces it.
     */
    @Bean
    ConfigurerModule tenantEventProcessing(TenantProcessors processors) {
        return new ConfigurerModule() {
            @Override
            public void configureModule(org.axonframework.config.Configurer configurer) {
                configurer.eventProcessing(processing -> processing
                        .registerEventProcessorFactory(processors::build)
                        .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance())
                        .registerDefaultErrorHandler(c -> PropagatingErrorHandler.instance()));
            }

            @Override
            public int order() {
                return Integer.MAX_VALUE;
            }
        };
    }

}
