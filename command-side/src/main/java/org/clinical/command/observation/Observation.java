package org.clinical.command.observation;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.modelling.command.CommandHandlerInterceptor;
import org.clinical.command.ExpectedVersion;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.clinical.command.encounter.EncounterStatus;
import org.clinical.command.observation.ObservationSubjects.Subject;
import org.clinical.command.patient.PatientStatus;
import org.clinical.events.common.ErrorCode;
import org.clinical.events.common.RuleViolation;
import org.clinical.events.observation.AmendObservation;
import org.clinical.events.observation.MarkEnteredInError;
import org.clinical.events.observation.ObservationEvent.ObservationAmended;
import org.clinical.events.observation.ObservationEvent.ObservationEnteredInError;
import org.clinical.events.observation.ObservationEvent.ObservationRecorded;
import org.clinical.events.observation.ObservationId;
import org.clinical.events.observation.ObservationValue;
import org.clinical.events.observation.RecordObservation;
import org.clinical.events.observation.ReferenceRange;
import org.clinical.events.patient.PatientId;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A vital sign, lab result or panel about a patient. Protects, synchronously: it names a patient of the
 * tenant that was not merged away; its encounter, if any, is that patient's and not cancelled; a reference
 * range goes with a quantity only; an observation entered in error takes no amendment and is never dropped.
 */
public class Observation {

    @AggregateIdentifier
    private ObservationId observationId;
    private PatientId patientId;
    private boolean enteredInError;

    Observation() {
    }

    @CommandHandler
    Observation(RecordObservation command, ObservationSubjects subjects) {
        this(command, subjects.lookup(command.patientId(), command.encounterId()));
    }

    /** Records with subjects already looked up. */
    Observation(RecordObservation command, Subject subject) {
        apply(recorded(command, subject));
    }

    /**
     * The rules of recording as a decision: what a valid observation becomes. Recording only ever creates a
     * new stream, so the batch handler appends these events directly, without an aggregate instance each.
     */
    static ObservationRecorded recorded(RecordObservation command, Subject subject) {
        mustNameAPatientOfTheTenant(command, subject);
        if (command.encounterId() != null) {
            encounterMustBeThePatientsAndNotCancelled(command, subject);
        }
        referenceRangeNeedsAQuantity(command.value(), command.referenceRange());
        return new ObservationRecorded(command.observationId(), command.patientId(), command.encounterId(),
                subject.encounter() == null ? null : subject.encounter().facilityId(), command.code(),
                command.category(), command.effectiveAt(), command.value(), command.referenceRange());
    }

    @CommandHandlerInterceptor
    Object staleVersionIsRefusedFirst(CommandMessage<?> command, InterceptorChain chain) throws Exception {
        ExpectedVersion.mustMatch(command.getPayload(), observationId);
        return chain.proceed();
    }

    @CommandHandler
    void handle(AmendObservation command) {
        enteredInErrorTakesNoChange();
        referenceRangeNeedsAQuantity(command.value(), command.referenceRange());
        apply(new ObservationAmended(observationId, patientId, command.value(), command.referenceRange(),
                command.reason(), command.amendedAt()));
    }

    @CommandHandler
    void handle(MarkEnteredInError command) {
        enteredInErrorTakesNoChange();
        apply(new ObservationEnteredInError(observationId, patientId, command.reason(), command.markedAt()));
    }

    private static void mustNameAPatientOfTheTenant(RecordObservation command, Subject subject) {
        if (subject.patient() == null) {
            throw new RuleViolation(ErrorCode.PATIENT_NOT_FOUND, "Patient " + command.patientId() + " does not exist");
        }
        if (subject.patient() == PatientStatus.MERGED) {
            throw new RuleViolation(ErrorCode.PATIENT_MERGED,
                    "Patient " + command.patientId() + " was merged into another record");
        }
    }

    private static void encounterMustBeThePatientsAndNotCancelled(RecordObservation command, Subject subject) {
        if (subject.encounter() == null) {
            throw new RuleViolation(ErrorCode.ENCOUNTER_NOT_FOUND,
                    "Encounter " + command.encounterId() + " does not exist");
        }
        if (!subject.encounter().patientId().equals(command.patientId())) {
            throw new RuleViolation(ErrorCode.ENCOUNTER_OF_ANOTHER_PATIENT,
                    "Encounter " + command.encounterId() + " is not an encounter of patient " + command.patientId());
        }
        if (subject.encounter().status() == EncounterStatus.CANCELLED) {
            throw new RuleViolation(ErrorCode.ENCOUNTER_CANCELLED,
                    "Encounter " + command.encounterId() + " is cancelled");
        }
    }

    private static void referenceRangeNeedsAQuantity(ObservationValue value, ReferenceRange range) {
        if (range != null && !(value instanceof ObservationValue.Quantity)) {
            throw new RuleViolation(ErrorCode.REFERENCE_RANGE_NEEDS_QUANTITY,
                    "A reference range applies to quantity values only");
        }
    }

    private void enteredInErrorTakesNoChange() {
        if (enteredInError) {
            throw new RuleViolation(ErrorCode.OBSERVATION_ENTERED_IN_ERROR,
                    "Observation " + observationId + " was entered in error");
        }
    }

    @EventSourcingHandler
    void on(ObservationRecorded event) {
        observationId = event.observationId();
        patientId = event.patientId();
    }

    @EventSourcingHandler
    void on(ObservationEnteredInError event) {
        enteredInError = true;
    }
}
