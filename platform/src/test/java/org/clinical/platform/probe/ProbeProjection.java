package org.clinical.platform.probe;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.clinical.events.patient.PatientEvent.PatientRegistered;
import org.clinical.projections.readmodel.Projection;
import org.clinical.projections.readmodel.ReadModel;
import org.clinical.projections.readmodel.ReadModelBatch;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
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
public class ProbeProjection extends Projection<List<Object[]>> {

    public static final String NAME = "probe";
    public static final String FAIL_ONCE = "FAIL-ONCE";
    /** Deliveries of each registration whose MRN starts with {@link #FAIL_ONCE}. */
    public static final Map<String, AtomicInteger> DELIVERIES = new ConcurrentHashMap<>();
    static final ReadModel READ_MODEL = new ReadModel(NAME, "readmodel/probe.sql", null);
    private static final String INSERT = "insert into {s}.probe_patient (patient_id, mrn, position) values (?, ?, ?)"
            + " on conflict (patient_id) do nothing";

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
        batchState(message).add(new Object[]{event.patientId().value(), event.mrn().value(),
                message.trackingToken().position().orElse(-1)});
    }

    /** The batch's state: the arguments of its inserts. */
    @Override
    protected List<Object[]> newBatchState() {
        return new ArrayList<>();
    }

    @Override
    protected void write(List<Object[]> rows, ReadModelBatch batch) {
        rows.forEach(row -> batch.add(INSERT, row));
    }
}
