package org.clinical.projections.config;

import org.axonframework.serialization.Serializer;
import org.clinical.infra.config.ClinicalProperties;
import org.clinical.infra.processing.TenantProcessors;
import org.clinical.infra.region.Regions;
import org.clinical.infra.tenant.ActiveTenants;
import io.micrometer.core.instrument.MeterRegistry;
import org.clinical.projections.deadletter.DeadLetterMonitor;
import org.clinical.projections.deadletter.DeadLetters;
import org.clinical.projections.readmodel.Generations;
import org.clinical.projections.readmodel.Projection.ProjectionSupport;
import org.clinical.projections.readmodel.ProjectionPositions;
import org.clinical.projections.readmodel.ReadModel;
import org.clinical.projections.readmodel.ReadModelChanges;
import org.clinical.projections.rebuild.ProjectionRebuilds;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Wiring of the read side's machinery: generations, positions, rebuilds. Each projection declares its ReadModel. */
@Configuration
public class ProjectionsConfiguration {

    @Bean
    Generations generations(List<ReadModel> readModels, ActiveTenants tenants, Regions regions) {
        return new Generations(readModels, tenants, regions);
    }

    /** Published after every committed batch of a live projection processor (not of a rebuild's replay). */
    @Bean
    ProjectionPositions projectionPositions(Regions regions, Serializer serializer, TenantProcessors processors,
                                            ActiveTenants tenants, List<ReadModel> readModels) {
        ProjectionPositions positions = new ProjectionPositions(regions, serializer);
        Set<String> live = readModels.stream().map(ReadModel::name).collect(Collectors.toSet());
        processors.onCommit((processor, tenantId, token) -> {
            if (live.contains(processor)) {
                positions.advance(tenants.require(tenantId), processor, token);
            }
        });
        return positions;
    }

    @Bean
    ProjectionSupport projectionSupport(ActiveTenants tenants, Regions regions, Generations generations,
                                        ObjectProvider<ReadModelChanges> changes) {
        return new ProjectionSupport(tenants, regions, generations, new LazyChanges(changes));
    }

    @Bean
    DeadLetters deadLetters(TenantProcessors processors, Regions regions, List<ReadModel> readModels) {
        return new DeadLetters(processors, regions, readModels.stream().map(ReadModel::name).toList());
    }

    /** Health contributor {@code deadLetters} (always UP, degraded in its details) and the gauge. */
    @Bean(destroyMethod = "close")
    DeadLetterMonitor deadLettersHealthIndicator(DeadLetters deadLetters, ActiveTenants tenants,
                                                 MeterRegistry registry) {
        return new DeadLetterMonitor(deadLetters, tenants, registry);
    }

    /** The old generation is dropped when no query can still be reading it: twice the query timeout. */
    @Bean(destroyMethod = "close")
    ProjectionRebuilds projectionRebuilds(TenantProcessors processors, Generations generations,
                                          ProjectionPositions positions, ActiveTenants tenants, Regions regions,
                                          ObjectProvider<ReadModelChanges> changes, DeadLetters deadLetters,
                                          ClinicalProperties properties) {
        return new ProjectionRebuilds(processors, generations, positions, tenants, regions, new LazyChanges(changes),
                deadLetters, properties.query().timeout().multipliedBy(2).plus(Duration.ofSeconds(1)));
    }

    @EventListener(ApplicationReadyEvent.class)
    void resumeRebuilds(ApplicationReadyEvent ready) {
        ready.getApplicationContext().getBean(ProjectionRebuilds.class).resumeAll();
        ready.getApplicationContext().getBean(DeadLetterMonitor.class).start();
    }

    /** The query side's cache listens, when it is there; looked up when first told. */
    private record LazyChanges(ObjectProvider<ReadModelChanges> provider) implements ReadModelChanges {

        @Override
        public void patientsChanged(org.clinical.infra.tenant.Tenant tenant, java.util.Collection<String> ids) {
            provider.orderedStream().forEach(c -> c.patientsChanged(tenant, ids));
        }

        @Override
        public void rebuilt(org.clinical.infra.tenant.Tenant tenant, String projection) {
            provider.orderedStream().forEach(c -> c.rebuilt(tenant, projection));
        }
    }
}
