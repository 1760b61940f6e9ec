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

import java.time.Instant;
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

    /** The zone where a date begins first: a birth date starts there, 14 hours before it starts in UTC. */
    private static final ZoneOffset EARLIEST_ZONE = ZoneOffset.ofHours(14);

    @AggregateIdentifier
    private PatientId patientId;
    private LocalDate birthDate;
    private PatientStatus status;
    private Instant deceasedAt;

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
        cannotDieBeforeBirth(command.demographics().birthDate(), deceasedAt);
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
        cannotDieBeforeBirth(birthDate, command.deceasedAt());
        registry.changeStatus(patientId, PatientStatus.DECEASED);
        apply(new PatientDeceased(patientId, command.deceasedAt()));
    }

    private void mergedRecordTakesNoCommands() {
        if (status == PatientStatus.MERGED) {
            throw new RuleViolation(ErrorCode.PATIENT_MERGED,
                    "Patient " + patientId + " was merged into another record and takes no further commands");
        }
    }

    /**
     * A birth date is a local date in a zone nobody recorded, a death an instant. The death is refused only when
     * it precedes the birth date in every zone: before the birth date's first moment anywhere on Earth, its
     * midnight at UTC+14 (Kiribati). A death on the birth date in any zone is recorded.
     */
    private static void cannotDieBeforeBirth(LocalDate birthDate, Instant deceasedAt) {
        if (birthDate != null && deceasedAt != null
                && deceasedAt.isBefore(birthDate.atStartOfDay(EARLIEST_ZONE).toInstant())) {
            throw new RuleViolation(ErrorCode.DEATH_BEFORE_BIRTH,
                    "Death (" + deceasedAt + ") cannot precede birth (" + birthDate + ") in any time zone");
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
        deceasedAt = event.deceasedAt();
    }
}
