package org.clinical.command.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.config.ConfigurerModule;
import org.clinical.command.encounter.Encounter;
import org.clinical.command.encounter.EncounterRegistry;
import org.clinical.command.encounter.jdbc.JdbcEncounterRegistry;
import org.clinical.command.facility.Facility;
import org.clinical.command.facility.FacilityRegistry;
import org.clinical.command.facility.jdbc.JdbcFacilityRegistry;
import org.clinical.command.observation.Observation;
import org.clinical.command.observation.ObservationBatch;
import org.clinical.command.observation.ObservationSubjects;
import org.clinical.command.observation.jdbc.JdbcObservationSubjects;
import org.clinical.command.patient.Patient;
import org.clinical.command.patient.PatientRegistry;
import org.clinical.command.patient.jdbc.JdbcPatientRegistry;
import org.clinical.command.tenant.TenantAggregate;
import org.clinical.command.tenant.TenantRegistration;
import org.clinical.command.tenant.jdbc.JdbcTenantRegistration;
import org.clinical.command.web.CommandEndpoint;
import org.clinical.command.web.EdgeClock;
import org.clinical.command.gateway.TenantCommandGateway;
import org.clinical.infra.security.TenantAccess;
import org.clinical.infra.tenant.TenantJdbc;
import org.clinical.infra.tenant.TenantRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/**
 * The write model's wiring: aggregates and their event-sourced repositories, the batch handler, and the
 * JDBC implementations of the lookups the rules need. Domain packages stay free of Spring.
 */
@Configuration
public class CommandSideConfiguration {

    @Bean
    ConfigurerModule aggregates(ObservationSubjects subjects) {
        return configurer -> {
            configurer.configureAggregate(TenantAggregate.class);
            configurer.configureAggregate(Facility.class);
            configurer.configureAggregate(Patient.class);
            configurer.configureAggregate(Encounter.class);
            configurer.configureAggregate(Observation.class);
            configurer.registerCommandHandler(c -> new ObservationBatch(c.eventBus(), subjects));
        };
    }

    @Bean
    TenantRegistration tenantRegistration(TenantRegistry registry) {
        return new JdbcTenantRegistration(registry);
    }

    @Bean
    FacilityRegistry facilityRegistry(TenantJdbc jdbc) {
        return new JdbcFacilityRegistry(jdbc);
    }

    @Bean
    PatientRegistry patientRegistry(TenantJdbc jdbc) {
        return new JdbcPatientRegistry(jdbc);
    }

    @Bean
    EncounterRegistry encounterRegistry(TenantJdbc jdbc) {
        return new JdbcEncounterRegistry(jdbc);
    }

    @Bean
    ObservationSubjects observationSubjects(TenantJdbc jdbc) {
        return new JdbcObservationSubjects(jdbc);
    }

    @Bean
    EdgeClock edgeClock(Clock clock) {
        return new EdgeClock(clock);
    }

    @Bean
    CommandEndpoint commandEndpoint(TenantCommandGateway gateway, TenantAccess access, ObjectMapper mapper) {
        return new CommandEndpoint(gateway, access, mapper);
    }
}
