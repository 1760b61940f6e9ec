package org.clinical.projections.observation;

import org.clinical.events.observation.ObservationEvent.ObservationAmended;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What one batch of events did to observations, the projection's batch state: rows recorded in the batch
 * (amended or entered in error in memory when that happens in the same batch), and changes to observations
 * recorded by earlier batches, which {@link ObservationProjection#write} applies with one read of their rows.
 */
final class ObservationChanges {

    final Map<UUID, ObservationRow> recorded = new LinkedHashMap<>();
    final List<Change> earlier = new ArrayList<>();

    /** An amendment ({@code amended} set) or an entry in error of an observation from an earlier batch. */
    record Change(UUID observationId, ObservationAmended amended, String errorReason, long version, Instant at) {

        void applyTo(ObservationRow row) {
            if (amended != null) {
                row.amend(amended, version, at);
            } else {
                row.enteredInError(errorReason, version, at);
            }
        }
    }

    /** A row recorded in this batch; an observation recorded twice keeps its first row. */
    void recorded(ObservationRow row) {
        recorded.putIfAbsent(row.observationId, row);
    }

    /** Applied in memory to a row recorded in this batch, else kept for {@link ObservationProjection#write}. */
    void changed(Change change) {
        ObservationRow row = recorded.get(change.observationId());
        if (row != null) {
            change.applyTo(row);
        } else {
            earlier.add(change);
        }
    }

    boolean isEmpty() {
        return recorded.isEmpty() && earlier.isEmpty();
    }
}
