package org.clinical.command.observation;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.clinical.command.observation.ObservationSubjects.Key;
import org.clinical.command.observation.ObservationSubjects.Subject;
import org.clinical.events.common.ErrorCode;
import org.clinical.events.common.RuleViolation;
import org.clinical.events.observation.ObservationId;
import org.clinical.events.observation.RecordObservation;
import org.clinical.events.observation.RecordObservations;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Records up to {@value #MAX_SIZE} observations all or nothing: their subjects are looked up in one go, every
 * observation is decided by the same rules as a single one ({@link Observation#recorded}), and all events are
 * appended in one transaction, each as the first event (sequence 0) of its observation's new stream; the
 * event store's unique (aggregate, sequence) key refuses an id that exists. No aggregate instance is built
 * per observation: for a new stream with one event it would only add locking and bookkeeping. The first
 * refused observation refuses the batch, naming its index.
 */
public class ObservationBatch {

    public static final int MAX_SIZE = 1000;

    private static final String AGGREGATE_TYPE = Observation.class.getSimpleName();

    private final EventBus eventStore;
    private final ObservationSubjects subjects;

    public ObservationBatch(EventBus eventStore, ObservationSubjects subjects) {
        this.eventStore = eventStore;
        this.subjects = subjects;
    }

    @CommandHandler
    public List<ObservationId> handle(RecordObservations batch) {
        List<RecordObservation> observations = batch.observations();
        if (observations.isEmpty() || observations.size() > MAX_SIZE) {
            throw new RuleViolation(ErrorCode.INVALID_BATCH,
                    "A batch holds 1 to " + MAX_SIZE + " observations, not " + observations.size());
        }
        if (new HashSet<>(observations.stream().map(RecordObservation::observationId).toList()).size()
                != observations.size()) {
            throw new RuleViolation(ErrorCode.INVALID_BATCH, "A batch names each observation id once");
        }
        Map<Key, Subject> known = subjects.lookupAll(
                observations.stream().map(o -> new Key(o.patientId(), o.encounterId())).toList());
        List<DomainEventMessage<?>> events = new ArrayList<>(observations.size());
        for (int i = 0; i < observations.size(); i++) {
            RecordObservation observation = observations.get(i);
            Subject subject = known.get(new Key(observation.patientId(), observation.encounterId()));
            try {
                events.add(new GenericDomainEventMessage<>(AGGREGATE_TYPE, observation.observationId().toString(),
                        0L, Observation.recorded(observation, subject)));
            } catch (RuleViolation refused) {
                throw new RuleViolation(refused.code(), "observations[" + i + "]: " + refused.getMessage());
            }
        }
        eventStore.publish(events);
        return observations.stream().map(RecordObservation::observationId).toList();
    }
}
