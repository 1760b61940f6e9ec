package org.clinical.projections.observation;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.clinical.infra.web.RecordVersion;
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
import java.util.stream.Stream;

/**
 * Observations (all of them, with their status), the latest vital sign per patient and code, and the statistics
 * of quantity values per code, UTC day and facility. Handlers only collect the batch's changes in memory
 * ({@link ObservationChanges}); at commit {@link #write} writes them set-based: one batched insert of the new
 * rows (after making their monthly partitions), one read and one batched update of the rows of earlier batches
 * that were amended or entered in error, and one batched upsert per statistics table. An observation's version
 * is its aggregate sequence number plus one, as in the ETag of its commands.
 */
@Component
@ProcessingGroup(ObservationProjection.NAME)
public class ObservationProjection extends Projection<ObservationChanges> {

    public static final String NAME = "observations";
    static final ReadModel READ_MODEL = new ReadModel(NAME, "org/clinical/projections/observation/observations.sql",
            "org/clinical/projections/observation/observations-views.sql");

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
        batchState(message).recorded(ObservationRow.recorded(event, RecordVersion.fromSequence(sequence).value(), at));
    }

    @EventHandler
    void on(ObservationAmended event, TrackedEventMessage<?> message, @SequenceNumber long sequence,
            @Timestamp Instant at) {
        batchState(message).changed(new ObservationChanges.Change(event.observationId().value(), event, null,
                RecordVersion.fromSequence(sequence).value(), at));
    }

    @EventHandler
    void on(ObservationEnteredInError event, TrackedEventMessage<?> message, @SequenceNumber long sequence,
            @Timestamp Instant at) {
        batchState(message).changed(new ObservationChanges.Change(event.observationId().value(), null,
                event.reason(), RecordVersion.fromSequence(sequence).value(), at));
    }

    @Override
    protected ObservationChanges newBatchState() {
        return new ObservationChanges();
    }

    /** Patients whose latest vital signs may have changed: their cached summary and vitals go after commit. */
    @Override
    protected void write(ObservationChanges changes, ReadModelBatch batch) {
        if (changes.isEmpty()) {
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

        batch.patientsChanged(Stream.concat(changes.recorded.values().stream(), changed.stream())
                .filter(ObservationRow::vitalSign).map(r -> r.patientId.toString()).toList());
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
}
