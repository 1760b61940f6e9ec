package org.clinical.infra.tenant;

import org.axonframework.common.Registration;
import org.axonframework.extensions.multitenancy.components.MultiTenantAwareComponent;
import org.axonframework.extensions.multitenancy.components.commandhandeling.MultiTenantCommandBus;
import org.axonframework.extensions.multitenancy.components.eventstore.MultiTenantEventStore;
import org.axonframework.extensions.multitenancy.components.TenantDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings a tenant to life on this node: migrates its schema, then registers and starts it on every
 * multi-tenant component, in their order: command bus and event store first, then the processors that read
 * the event store. Runs at start-up for every registered tenant, and for a tenant created while the platform
 * runs, in two steps: {@link #open} (schema, command bus and event store, so that its {@code TenantCreated}
 * can be stored), then {@link #activate} once that event is stored (read models, analyst role, processors,
 * requests), or {@link #close} when the creation failed.
 */
public class TenantActivation {

    private static final Logger log = LoggerFactory.getLogger(TenantActivation.class);

    private final TenantSchemas schemas;
    private final ActiveTenants active;
    private final List<MultiTenantAwareComponent> components;
    private final Map<String, List<Registration>> opened = new HashMap<>();

    public TenantActivation(TenantSchemas schemas, ActiveTenants active,
                            List<MultiTenantAwareComponent> components) {
        this.schemas = schemas;
        this.active = active;
        this.components = components.stream().sorted(AnnotationAwareOrderComparator.INSTANCE).toList();
    }

    public synchronized void open(Tenant tenant) {
        schemas.migrateTenant(tenant);
        active.open(tenant);
        TenantDescriptor descriptor = TenantDescriptor.tenantWithId(tenant.id());
        opened.put(tenant.id(), components.stream().filter(TenantActivation::storesEvents)
                .map(component -> component.registerAndStartTenant(descriptor)).toList());
    }

    /** A creation that failed: its command bus and event store go; its migrated, empty schema stays. */
    public synchronized void close(Tenant tenant) {
        List<Registration> registrations = opened.remove(tenant.id());
        if (registrations != null) {
            registrations.forEach(Registration::cancel);
        }
        active.forget(tenant.id());
    }

    /**
     * Does nothing for a tenant already active on this node. Synchronized: a request that finds the tenant not
     * ready yet (another thread is activating it) waits here until it is.
     */
    public synchronized void activate(Tenant tenant) {
        if (active.find(tenant.id()).isPresent()) {
            return;
        }
        List<Registration> openedBefore = opened.remove(tenant.id());
        boolean wasOpened = openedBefore != null;
        if (!wasOpened) {
            schemas.migrateTenant(tenant);
        }
        active.put(tenant);
        TenantDescriptor descriptor = TenantDescriptor.tenantWithId(tenant.id());
        List<Registration> started = new ArrayList<>();
        try {
            components.stream().filter(component -> !(wasOpened && storesEvents(component)))
                    .forEach(component -> started.add(component.registerAndStartTenant(descriptor)));
        } catch (RuntimeException e) {
            undo(tenant, started, openedBefore);
            throw e;
        }
        active.ready(tenant.id());
        log.info("Tenant {} active (region {}, schema {})", tenant.id(), tenant.region(), tenant.schema());
    }

    /**
     * An activation that failed half-way (the database away while read-model schemas or processors were set
     * up) leaves the tenant where it was, not active on this node: the next request for it, or the next
     * start-up, activates it again, instead of requests meeting a tenant without read models.
     */
    private void undo(Tenant tenant, List<Registration> started, List<Registration> openedBefore) {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).cancel();
            } catch (RuntimeException e) {
                log.warn("Tenant {}: a component could not be stopped after a failed activation", tenant.id());
            }
        }
        active.withdraw(tenant.id());
        if (openedBefore != null) {
            opened.put(tenant.id(), openedBefore);
            active.open(tenant);
        }
    }

    private static boolean storesEvents(MultiTenantAwareComponent component) {
        return component instanceof MultiTenantCommandBus || component instanceof MultiTenantEventStore;
    }
}
