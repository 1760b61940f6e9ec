package org.clinical.infra.command;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.extensions.multitenancy.components.TenantDescriptor;
import org.axonframework.extensions.multitenancy.components.commandhandeling.TenantCommandSegmentFactory;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.clinical.infra.eventstore.ReceiptInterceptor;
import org.clinical.infra.region.Regions;
import org.clinical.infra.tenant.ActiveTenants;

/**
 * One command bus per tenant: a command runs in one transaction of its tenant's region database, carries
 * its tenant, actor and correlation into its events, and is answered with a receipt of what it appended.
 */
public class TenantCommandBuses implements TenantCommandSegmentFactory {

    private final ActiveTenants tenants;
    private final Regions regions;

    public TenantCommandBuses(ActiveTenants tenants, Regions regions) {
        this.tenants = tenants;
        this.regions = regions;
    }

    @Override
    public CommandBus apply(TenantDescriptor descriptor) {
        var region = regions.region(tenants.requireKnown(descriptor.tenantId()).region());
        SimpleCommandBus bus = SimpleCommandBus.builder()
                .transactionManager(new SpringTransactionManager(region.transactionManager()))
                .build();
        bus.registerHandlerInterceptor(new CorrelationDataInterceptor<>(new TraceCorrelation()));
        bus.registerHandlerInterceptor(new ReceiptInterceptor());
        return bus;
    }
}
