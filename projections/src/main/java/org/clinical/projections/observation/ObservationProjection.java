package org.clinical.projections.observation;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.clinical.events.observation.ObservationEvent.ObservationAmended;
import org.clinical.events.observation.ObservationEvent.ObservationEnteredInError;
import org.clinical.events.observation.ObservationEvent.ObservationRecorded;
import org.clinical.projections.readmodel.Projection;
import org.clinical.projections.readmodel.ReadModel;
import org.clinical.projections.readmodel.ReadModelBatch;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Observations (all of them, with their status), the latest vital sign per patient and code, and the statistics
 * of quantity values per code, UTC day and facility. Handlers only collect the batch's changes in memory; at
 * commit {@link #finish} writes them set-based: one batched insert of the new rows (after making their monthly
 * partitions), one read and one batched update of the rows of earlier batches that were amended or entered in
 * error, and one batched upsert per statistics table. An observation's version is its aggregate sequence number
 * plus one, as in the ETag of its commands.
 */
@Component
@ProcessingGroup(ObservationProjection.NAME)
public class ObservationProjection extends Projection {

    public static final String NAME = "observations";
    static final ReadModel READ_MODEL = new ReadModel(NAME, "readmodel/observations.sql",
            "readmodel/observations-views.sql");
    private static final String CHANGES = "clinical.readmodel.observations.changes";
    private static final String VITALS_CHANGED = "vitals-patient";

    private final MonthlyPartitions partitions = new MonthlyPartitions();

    public ObservationProjection(ProjectionSupport support) {
        super(READ_MODEL, support);
    }

    @Bean
    static ReadModel observationsReadModel() {
        return READ_MODEL;
    }

    @EventHandler
    void on(ObservationRecorded event, TrackedEventMessage<?> message, @SequenceNumber long sequence,
            @Timestamp Instant at) {
        changes(batch(message)).recorded.putIfAbsent(event.observationId().value(), ObservationRow.recorded(event, sequence + 1, at));
    }

    @EventHandler
    void on(ObservationAmended event, TrackedEventMessage<?> message, @SequenceNumber long sequence,
            @Timestamp Instant at) {
        change(batch(message), new ObservationChanges.Change(event.observationId().value(), event, null, sequence + 1, at));
    }

    @EventHandler
    void on(ObservationEnteredInError event, TrackedEventMessage<?> message, @SequenceNumber long sequence,
            @Timestamp Instant at) {
        change(batch(message), new ObservationChanges.Change(event.observationId().value(), null, event.reason(), sequence + 1, at));
    }

    private void change(ReadModelBatch batch, ObservationChanges.Change change) {
        ObservationChanges changes = changes(batch);
        ObservationRow recorded = changes.recorded.get(change.observationId());
        if (recorded != null) {
            change.applyTo(recorded);
        } else {
            changes.earlier.add(change);
        }
    }

    @Override
    protected void finish(ReadModelBatch batch) {
        ObservationChanges changes = batch.state(CHANGES);
        if (changes == null || changes.isEmpty()) {
            return;
        }
        StatsRollup stats = new StatsRollup();
        changes.recorded.values().forEach(stats::add);
        List<ObservationRow> changed = applyEarlier(batch, changes.earlier, stats);

        Set<YearMonth> months = changes.recorded.values().stream().map(r -> MonthlyPartitions.of(r.effectiveAt))
                .collect(Collectors.toSet());
        partitions.ensure(batch, months);
        ObservationTable.insert(batch, changes.recorded.values());
        ObservationTable.update(batch, changed);
        LatestVitalsTable.offer(batch, changes.recorded.values());
        LatestVitalsTable.changed(batch, changed);
        stats.write(batch);

        changes.recorded.values().stream().filter(ObservationRow::vitalSign)
                .forEach(r -> batch.touch(VITALS_CHANGED, r.patientId.toString()));
        changed.stream().filter(ObservationRow::vitalSign)
                .forEach(r -> batch.touch(VITALS_CHANGED, r.patientId.toString()));
    }

    /** Applies changes to rows of earlier batches in memory: the old values leave the stats, the new ones join. */
    private static List<ObservationRow> applyEarlier(ReadModelBatch batch, List<ObservationChanges.Change> earlier,
                                                     StatsRollup stats) {
        if (earlier.isEmpty()) {
            return List.of();
        }
        Map<UUID, ObservationRow> rows = ObservationTable.load(batch,
                earlier.stream().map(ObservationChanges.Change::observationId).collect(Collectors.toSet()));
        rows.values().forEach(stats::remove);
        for (ObservationChanges.Change change : earlier) {
            ObservationRow row = rows.get(change.observationId());
            if (row != null) {
                change.applyTo(row);
            }
        }
        rows.values().forEach(stats::add);
        return new ArrayList<>(rows.values());
    }

    /** Patients whose latest vital signs may have changed: their cached summary and vitals go. */
    @Override
    protected void committed(ReadModelBatch batch) {
        Set<String> patients = batch.touched(VITALS_CHANGED);
        patientsChanged(batch, patients);
    }

    private static ObservationChanges changes(ReadModelBatch batch) {
        return batch.state(CHANGES, ObservationChanges::new);
    }
}
