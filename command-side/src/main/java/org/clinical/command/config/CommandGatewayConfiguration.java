package org.clinical.command.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.commandhandling.CommandBus;
import org.clinical.command.gateway.IdempotencyPurge;
import org.clinical.command.gateway.IdempotencyStore;
import org.clinical.command.gateway.TenantCommandGateway;
import org.clinical.infra.config.ClinicalProperties;
import org.clinical.infra.region.Regions;
import org.clinical.infra.tenant.ActiveTenants;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Sending commands: the gateway over infra's per-tenant command bus, the answers it remembers for each
 * {@code Idempotency-Key}, and the hourly purge of keys past their retention.
 */
@Configuration
public class CommandGatewayConfiguration {

    @Bean
    IdempotencyStore idempotencyStore(ObjectMapper mapper) {
        return new IdempotencyStore(mapper);
    }

    @Bean
    TenantCommandGateway tenantCommandGateway(CommandBus commandBus, ActiveTenants tenants, Regions regions,
                                              IdempotencyStore idempotency) {
        return new TenantCommandGateway(commandBus, tenants, regions, idempotency);
    }

    @Bean
    IdempotencyPurge idempotencyPurge(ActiveTenants tenants, Regions regions, IdempotencyStore store,
                                      ClinicalProperties properties) {
        return new IdempotencyPurge(tenants, regions, store, properties.idempotency().retention());
    }
}
