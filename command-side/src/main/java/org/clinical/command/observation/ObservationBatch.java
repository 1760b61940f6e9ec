package org.clinical.command.observation;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Repository;
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
 * observation is checked by the same rules as a single one, and all events are appended in one transaction.
 * The first refused observation refuses the batch, naming its index.
 */
public class ObservationBatch {

    public static final int MAX_SIZE = 1000;

    private final Repository<Observation> repository;
    private final ObservationSubjects subjects;

    public ObservationBatch(Repository<Observation> repository, ObservationSubjects subjects) {
        this.repository = repository;
        this.subjects = subjects;
    }

    @CommandHandler
    public List<ObservationId> handle(RecordObservations batch) throws Exception {
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
        List<ObservationId> recorded = new ArrayList<>(observations.size());
        for (int i = 0; i < observations.size(); i++) {
            RecordObservation observation = observations.get(i);
            Subject subject = known.get(new Key(observation.patientId(), observation.encounterId()));
            try {
                repository.newInstance(() -> new Observation(observation, subject));
            } catch (RuleViolation refused) {
                throw new RuleViolation(refused.code(), "observations[" + i + "]: " + refused.getMessage());
            }
            recorded.add(observation.observationId());
        }
        return recorded;
    }
}
