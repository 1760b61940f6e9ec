package org.clinical.events.observation;

import java.util.List;

/** A batch of observations recorded all or nothing, in one transaction. */
public record RecordObservations(List<RecordObservation> observations) {

    public RecordObservations {
        observations = List.copyOf(observations);
    }
}
