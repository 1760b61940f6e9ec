package org.clinical.platform.probe;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.clinical.events.patient.PatientEvent.PatientRegistered;
import org.clinical.infra.tenant.Tenant;
import org.clinical.infra.tenant.TenantDirectory;
import org.clinical.infra.tenant.TenantJdbc;
import org.springframework.stereotype.Component;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only projection: one row per registered patient, in the tenant's own schema. A patient with the MRN
 * {@value #FAIL_ONCE} makes the handler fail on its first delivery, to show that the event is retried, never
 * skipped.
 */
@Component
@ProcessingGroup(ProbeProjection.NAME)
public class ProbeProjection {

    public static final String NAME = "probe";
    public static final String FAIL_ONCE = "FAIL-ONCE";
    public static final AtomicInteger FAILURES = new AtomicInteger();

    private final TenantDirectory tenants;
    private final TenantJdbc jdbc;

    public ProbeProjection(TenantDirectory tenants, TenantJdbc jdbc) {
        this.tenants = tenants;
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(PatientRegistered event, @MetaDataValue("tenant") String tenantId, TrackedEventMessage<?> message) {
        if (FAIL_ONCE.equals(event.mrn().value()) && FAILURES.getAndIncrement() == 0) {
            throw new IllegalStateException("probe fails once on purpose");
        }
        Tenant tenant = tenants.require(tenantId);
        TrackingToken token = message.trackingToken();
        jdbc.jdbc(tenant).update("insert into " + tenant.schema() + ".probe_patient (patient_id, mrn, position)"
                        + " values (?, ?, ?) on conflict (patient_id) do nothing",
                event.patientId().value(), event.mrn().value(), token.position().orElse(-1));
    }
}
