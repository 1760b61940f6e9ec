package org.clinical.command.encounter;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.modelling.command.CommandHandlerInterceptor;
import org.clinical.command.ExpectedVersion;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.clinical.command.facility.FacilityRegistry;
import org.clinical.command.patient.PatientRegistry;
import org.clinical.command.patient.PatientStatus;
import org.clinical.events.common.ErrorCode;
import org.clinical.events.common.RuleViolation;
import org.clinical.events.encounter.CancelEncounter;
import org.clinical.events.encounter.DischargePatient;
import org.clinical.events.encounter.EncounterClass;
import org.clinical.events.encounter.EncounterEvent.EncounterCancelled;
import org.clinical.events.encounter.EncounterEvent.EncounterStarted;
import org.clinical.events.encounter.EncounterEvent.PatientDischarged;
import org.clinical.events.encounter.EncounterEvent.PatientTransferred;
import org.clinical.events.encounter.EncounterId;
import org.clinical.events.encounter.StartEncounter;
import org.clinical.events.encounter.TransferPatient;
import org.clinical.events.patient.PatientId;

import java.time.Instant;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A patient's visit or stay at a facility, from start (admission) to discharge or cancellation. Protects,
 * synchronously: the patient exists and is neither merged nor deceased; at most one open inpatient (IMP)
 * stay per patient (a partial unique index settles races); transfers and discharge only while in progress;
 * the stay's times in order (a transfer not before the start or the previous transfer, a discharge not before
 * the start or the last transfer; equal times are accepted); discharge not twice; a finished encounter cannot
 * be cancelled.
 */
public class Encounter {

    @AggregateIdentifier
    private EncounterId encounterId;
    private PatientId patientId;
    private String location;
    private Instant startedAt;
    private Instant lastTransferAt;
    private EncounterStatus status;

    Encounter() {
    }

    @CommandHandler
    Encounter(StartEncounter command, PatientRegistry patients, FacilityRegistry facilities,
              EncounterRegistry encounters) {
        PatientStatus patient = patients.statusOf(command.patientId()).orElseThrow(() -> new RuleViolation(
                ErrorCode.PATIENT_NOT_FOUND, "Patient " + command.patientId() + " does not exist"));
        cannotStartForMergedOrDeceasedPatient(patient);
        if (!facilities.exists(command.facilityId())) {
            throw new RuleViolation(ErrorCode.FACILITY_NOT_FOUND,
                    "Facility " + command.facilityId() + " does not exist");
        }
        if (command.encounterClass() == EncounterClass.IMP && encounters.hasOpenInpatientStay(command.patientId())) {
            throw new RuleViolation(ErrorCode.ALREADY_INPATIENT,
                    "Patient " + command.patientId() + " is already in an open inpatient encounter");
        }
        encounters.add(command.encounterId(), command.patientId(), command.facilityId(), command.encounterClass());
        apply(new EncounterStarted(command.encounterId(), command.patientId(), command.encounterClass(),
                command.facilityId(), command.location(), command.startedAt(), command.reason()));
    }

    @CommandHandlerInterceptor
    Object staleVersionIsRefusedFirst(CommandMessage<?> command, InterceptorChain chain) throws Exception {
        ExpectedVersion.mustMatch(command.getPayload(), encounterId);
        return chain.proceed();
    }

    @CommandHandler
    void handle(TransferPatient command) {
        onlyWhileInProgress("transferred");
        cannotTransferBeforeTheLastMove(command.at());
        apply(new PatientTransferred(encounterId, patientId, location, command.location(), command.at()));
    }

    @CommandHandler
    void handle(DischargePatient command, EncounterRegistry encounters) {
        onlyWhileInProgress("discharged");
        cannotDischargeBeforeTheLastMove(command.at());
        encounters.changeStatus(encounterId, EncounterStatus.FINISHED);
        apply(new PatientDischarged(encounterId, patientId, command.at(), command.disposition()));
    }

    @CommandHandler
    void handle(CancelEncounter command, EncounterRegistry encounters) {
        if (status == EncounterStatus.FINISHED) {
            throw new RuleViolation(ErrorCode.ENCOUNTER_FINISHED,
                    "Encounter " + encounterId + " is finished and cannot be cancelled");
        }
        if (status == EncounterStatus.CANCELLED) {
            throw new RuleViolation(ErrorCode.ENCOUNTER_ALREADY_CANCELLED,
                    "Encounter " + encounterId + " is already cancelled");
        }
        encounters.changeStatus(encounterId, EncounterStatus.CANCELLED);
        apply(new EncounterCancelled(encounterId, patientId, command.reason(), command.cancelledAt()));
    }

    private static void cannotStartForMergedOrDeceasedPatient(PatientStatus patient) {
        if (patient == PatientStatus.MERGED) {
            throw new RuleViolation(ErrorCode.PATIENT_MERGED, "The patient was merged into another record");
        }
        if (patient == PatientStatus.DECEASED) {
            throw new RuleViolation(ErrorCode.PATIENT_DECEASED, "The patient is deceased");
        }
    }

    /** A stay's location history stays in time order: a transfer is not dated before the start or the last transfer. */
    private void cannotTransferBeforeTheLastMove(Instant at) {
        if (at.isBefore(startedAt)) {
            throw new RuleViolation(ErrorCode.TRANSFER_BEFORE_START,
                    "A transfer (" + at + ") cannot precede the encounter's start (" + startedAt + ")");
        }
        if (lastTransferAt != null && at.isBefore(lastTransferAt)) {
            throw new RuleViolation(ErrorCode.TRANSFER_BEFORE_PREVIOUS_TRANSFER,
                    "A transfer (" + at + ") cannot precede the previous transfer (" + lastTransferAt + ")");
        }
    }

    /** The patient leaves from where they last were: a discharge is not dated before the start or a transfer. */
    private void cannotDischargeBeforeTheLastMove(Instant at) {
        if (at.isBefore(startedAt)) {
            throw new RuleViolation(ErrorCode.DISCHARGE_BEFORE_START,
                    "Discharge (" + at + ") cannot precede the encounter's start (" + startedAt + ")");
        }
        if (lastTransferAt != null && at.isBefore(lastTransferAt)) {
            throw new RuleViolation(ErrorCode.DISCHARGE_BEFORE_TRANSFER,
                    "Discharge (" + at + ") cannot precede the last transfer (" + lastTransferAt + ")");
        }
    }

    private void onlyWhileInProgress(String action) {
        if (status != EncounterStatus.IN_PROGRESS) {
            throw new RuleViolation(ErrorCode.ENCOUNTER_NOT_IN_PROGRESS,
                    "Encounter " + encounterId + " is " + status.code() + " and cannot be " + action);
        }
    }

    @EventSourcingHandler
    void on(EncounterStarted event) {
        encounterId = event.encounterId();
        patientId = event.patientId();
        location = event.location();
        startedAt = event.startedAt();
        status = EncounterStatus.IN_PROGRESS;
    }

    @EventSourcingHandler
    void on(PatientTransferred event) {
        location = event.toLocation();
        lastTransferAt = event.at();
    }

    @EventSourcingHandler
    void on(PatientDischarged event) {
        status = EncounterStatus.FINISHED;
    }

    @EventSourcingHandler
    void on(EncounterCancelled event) {
        status = EncounterStatus.CANCELLED;
    }
}
