package org.clinical.platform.probe;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.clinical.events.patient.PatientEvent.PatientRegistered;
import org.clinical.projections.readmodel.Projection;
import org.clinical.projections.readmodel.ReadModel;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only projection: one row per registered patient, with the position of its event. A patient whose MRN
 * starts with {@value #FAIL_ONCE} makes the handler fail on the first delivery of its registration, to show that
 * the event is retried, never skipped; each such MRN fails once, whatever other tests did before.
 */
@Component
@ProcessingGroup(ProbeProjection.NAME)
public class ProbeProjection extends Projection {

    public static final String NAME = "probe";
    public static final String FAIL_ONCE = "FAIL-ONCE";
    /** Deliveries of each registration whose MRN starts with {@link #FAIL_ONCE}. */
    public static final Map<String, AtomicInteger> DELIVERIES = new ConcurrentHashMap<>();
    static final ReadModel READ_MODEL = new ReadModel(NAME, "readmodel/probe.sql", null);

    public ProbeProjection(ProjectionSupport support) {
        super(READ_MODEL, support);
    }

    @Bean
    static ReadModel probeReadModel() {
        return READ_MODEL;
    }

    @EventHandler
    void on(PatientRegistered event, TrackedEventMessage<?> message) {
        String mrn = event.mrn().value();
        if (mrn.startsWith(FAIL_ONCE)
                && DELIVERIES.computeIfAbsent(mrn, m -> new AtomicInteger()).getAndIncrement() == 0) {
            throw new IllegalStateException("probe fails once on purpose");
        }
        batch(message).add("insert into {s}.probe_patient (patient_id, mrn, position) values (?, ?, ?)"
                        + " on conflict (patient_id) do nothing",
                event.patientId().value(), event.mrn().value(), message.trackingToken().position().orElse(-1));
    }
}
