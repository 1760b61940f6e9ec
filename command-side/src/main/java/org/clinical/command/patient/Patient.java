package org.clinical.command.patient;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.modelling.command.CommandHandlerInterceptor;
import org.clinical.command.ExpectedVersion;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.clinical.events.common.ErrorCode;
import org.clinical.events.common.RuleViolation;
import org.clinical.events.patient.MergePatient;
import org.clinical.events.patient.PatientEvent.PatientDeceased;
import org.clinical.events.patient.PatientEvent.PatientDemographicsUpdated;
import org.clinical.events.patient.PatientEvent.PatientMerged;
import org.clinical.events.patient.PatientEvent.PatientRegistered;
import org.clinical.events.patient.PatientId;
import org.clinical.events.patient.RecordDeath;
import org.clinical.events.patient.RegisterPatient;
import org.clinical.events.patient.UpdateDemographics;

import java.time.LocalDate;
import java.time.ZoneOffset;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A patient's registration record. Protects: a unique MRN per tenant (synchronous: the registry row is
 * written in the event's transaction, its unique index settles races); a merged record takes no further
 * commands; death is recorded once and not before birth. The registry status it keeps is what encounters
 * and observations check, synchronously too. Everything read from it (search, summaries) is eventual.
 */
public class Patient {

    @AggregateIdentifier
    private PatientId patientId;
    private LocalDate birthDate;
    private PatientStatus status;
    private LocalDate deathDate;

    Patient() {
    }

    @CommandHandler
    Patient(RegisterPatient command, PatientRegistry registry) {
        if (!registry.claimMrn(command.patientId(), command.mrn())) {
            throw new RuleViolation(ErrorCode.MRN_TAKEN, "MRN '" + command.mrn() + "' is already registered");
        }
        apply(PatientRegistered.of(command.patientId(), command.mrn(), command.demographics()));
    }

    @CommandHandlerInterceptor
    Object staleVersionIsRefusedFirst(CommandMessage<?> command, InterceptorChain chain) throws Exception {
        ExpectedVersion.mustMatch(command.getPayload(), patientId);
        return chain.proceed();
    }

    @CommandHandler
    void handle(UpdateDemographics command) {
        mergedRecordTakesNoCommands();
        cannotDieBeforeBirth(command.demographics().birthDate(), deathDate);
        apply(PatientDemographicsUpdated.of(patientId, command.demographics()));
    }

    @CommandHandler
    void handle(MergePatient command, PatientRegistry registry) {
        mergedRecordTakesNoCommands();
        if (command.survivorId().equals(patientId)) {
            throw new RuleViolation(ErrorCode.CANNOT_MERGE_INTO_ITSELF, "A patient cannot be merged into itself");
        }
        PatientStatus survivor = registry.lockForMerge(patientId, command.survivorId()).orElseThrow(() -> new RuleViolation(
                ErrorCode.PATIENT_NOT_FOUND, "Survivor " + command.survivorId() + " does not exist"));
        if (survivor == PatientStatus.MERGED) {
            throw new RuleViolation(ErrorCode.SURVIVOR_NOT_ACTIVE,
                    "Survivor " + command.survivorId() + " was itself merged into another record");
        }
        registry.changeStatus(patientId, PatientStatus.MERGED);
        apply(new PatientMerged(patientId, command.survivorId(), command.mergedAt()));
    }

    @CommandHandler
    void handle(RecordDeath command, PatientRegistry registry) {
        mergedRecordTakesNoCommands();
        if (status == PatientStatus.DECEASED) {
            throw new RuleViolation(ErrorCode.PATIENT_DECEASED, "The patient's death is already recorded");
        }
        cannotDieBeforeBirth(birthDate, command.deceasedAt().atOffset(ZoneOffset.UTC).toLocalDate());
        registry.changeStatus(patientId, PatientStatus.DECEASED);
        apply(new PatientDeceased(patientId, command.deceasedAt()));
    }

    private void mergedRecordTakesNoCommands() {
        if (status == PatientStatus.MERGED) {
            throw new RuleViolation(ErrorCode.PATIENT_MERGED,
                    "Patient " + patientId + " was merged into another record and takes no further commands");
        }
    }

    private static void cannotDieBeforeBirth(LocalDate birthDate, LocalDate deathDate) {
        if (birthDate != null && deathDate != null && deathDate.isBefore(birthDate)) {
            throw new RuleViolation(ErrorCode.DEATH_BEFORE_BIRTH,
                    "Death (" + deathDate + ") cannot precede birth (" + birthDate + ")");
        }
    }

    @EventSourcingHandler
    void on(PatientRegistered event) {
        patientId = event.patientId();
        birthDate = event.birthDate();
        status = PatientStatus.ACTIVE;
    }

    @EventSourcingHandler
    void on(PatientDemographicsUpdated event) {
        birthDate = event.birthDate();
    }

    @EventSourcingHandler
    void on(PatientMerged event) {
        status = PatientStatus.MERGED;
    }

    @EventSourcingHandler
    void on(PatientDeceased event) {
        status = PatientStatus.DECEASED;
        deathDate = event.deceasedAt().atOffset(ZoneOffset.UTC).toLocalDate();
    }
}
