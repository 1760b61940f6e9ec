package org.clinical.infra.tenant;

import org.axonframework.extensions.multitenancy.components.MultiTenantAwareComponent;
import org.axonframework.extensions.multitenancy.components.TenantDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;

import java.util.List;

/**
 * Brings a tenant to life on this node: migrates its schema, then registers and starts it on every
 * multi-tenant component, in their order: command bus and event store first, then the processors that read
 * the event store. Runs at start-up for every registered
 * tenant, and at once for a tenant created while the platform runs: no restart needed.
 */
public class TenantActivation {

    private static final Logger log = LoggerFactory.getLogger(TenantActivation.class);

    private final TenantSchemas schemas;
    private final TenantDirectory directory;
    private final List<MultiTenantAwareComponent> components;

    public TenantActivation(TenantSchemas schemas, TenantDirectory directory,
                            List<MultiTenantAwareComponent> components) {
        this.schemas = schemas;
        this.directory = directory;
        this.components = components.stream().sorted(AnnotationAwareOrderComparator.INSTANCE).toList();
    }

    public synchronized void activate(Tenant tenant) {
        schemas.migrateTenant(tenant);
        directory.put(tenant);
        TenantDescriptor descriptor = TenantDescriptor.tenantWithId(tenant.id());
        components.forEach(component -> component.registerAndStartTenant(descriptor));
        log.info("Tenant {} active (region {}, schema {})", tenant.id(), tenant.region(), tenant.schema());
    }
}
