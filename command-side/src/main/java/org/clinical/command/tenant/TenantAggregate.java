package org.clinical.command.tenant;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateRoot;
import org.clinical.events.common.ErrorCode;
import org.clinical.events.common.RuleViolation;
import org.clinical.events.tenant.CreateTenant;
import org.clinical.events.tenant.TenantEvent.TenantCreated;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A tenant's own record, first in its event stream. Protects: a tenant id is used once (synchronously,
 * through the tenant registry's row written in the same transaction).
 *
 * <p>Named apart from {@code infra.tenant.Tenant}, the value every other part routes by; its events are
 * stored under the aggregate type {@code Tenant}, as they always were.
 */
@AggregateRoot(type = TenantAggregate.TYPE)
public class TenantAggregate {

    static final String TYPE = "Tenant";

    @AggregateIdentifier
    private String tenantId;

    TenantAggregate() {
    }

    @CommandHandler
    TenantAggregate(CreateTenant command, TenantRegistration registration) {
        if (!registration.register(command.tenantId(), command.name(), command.region(), command.createdAt())) {
            throw tenantIdIsTaken(command.tenantId());
        }
        apply(new TenantCreated(command.tenantId(), command.name(), command.region(), command.createdAt()));
    }

    static RuleViolation tenantIdIsTaken(String tenantId) {
        return new RuleViolation(ErrorCode.TENANT_EXISTS, "Tenant '" + tenantId + "' already exists");
    }

    @EventSourcingHandler
    void on(TenantCreated event) {
        tenantId = event.tenantId();
    }
}
