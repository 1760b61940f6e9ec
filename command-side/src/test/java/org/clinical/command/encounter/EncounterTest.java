package org.clinical.command.encounter;

import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.clinical.command.facility.InMemoryFacilityRegistry;
import org.clinical.command.patient.InMemoryPatientRegistry;
import org.clinical.command.patient.PatientStatus;
import org.clinical.events.common.Coding;
import org.clinical.events.common.ErrorCode;
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
import org.clinical.events.facility.FacilityId;
import org.clinical.events.patient.PatientId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinical.command.Refusals.refusedWith;

class EncounterTest {

    private static final EncounterId STAY = EncounterId.of("5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d");
    private static final EncounterId EARLIER_STAY = EncounterId.of("1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a");
    private static final PatientId PATIENT = PatientId.of("3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c");
    private static final FacilityId GENERAL = FacilityId.of("0b8a3f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b");
    private static final Coding CHEST_PAIN = new Coding("http://snomed.info/sct", "29857009", "Chest pain");
    private static final Instant STARTED_AT = Instant.parse("2025-03-01T08:15:00Z");
    private static final Instant LATER = STARTED_AT.plusSeconds(3600);
    private static final EncounterStarted ADMITTED = new EncounterStarted(STAY, PATIENT, EncounterClass.IMP, GENERAL,
            "ward-3", STARTED_AT, CHEST_PAIN);
    private static final PatientDischarged DISCHARGED = new PatientDischarged(STAY, PATIENT, LATER, "home");
    private static final EncounterCancelled CANCELLED = new EncounterCancelled(STAY, PATIENT, "entered by mistake",
            LATER);

    private final InMemoryPatientRegistry patients = new InMemoryPatientRegistry();
    private final InMemoryFacilityRegistry facilities = new InMemoryFacilityRegistry().with(GENERAL);
    private final InMemoryEncounterRegistry encounters = new InMemoryEncounterRegistry();
    private AggregateTestFixture<Encounter> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Encounter.class);
        fixture.registerInjectableResource(patients);
        fixture.registerInjectableResource(facilities);
        fixture.registerInjectableResource(encounters);
    }

    private static StartEncounter admit(EncounterClass encounterClass) {
        return new StartEncounter(STAY, PATIENT, encounterClass, GENERAL, "ward-3", STARTED_AT, CHEST_PAIN);
    }

    private void admittedInRegistry(EncounterStatus status) {
        patients.with(PATIENT, PatientStatus.ACTIVE);
        encounters.with(STAY, PATIENT, GENERAL, EncounterClass.IMP, status);
    }

    // start

    @Test
    void admitting_a_patient_opens_an_inpatient_stay_in_the_registry() {
        patients.with(PATIENT, PatientStatus.ACTIVE);

        fixture.givenNoPriorActivity()
                .when(admit(EncounterClass.IMP))
                .expectSuccessfulHandlerExecution()
                .expectEvents(ADMITTED);

        assertThat(encounters.get(STAY)).contains(new InMemoryEncounterRegistry.Row(PATIENT, GENERAL,
                EncounterClass.IMP, EncounterStatus.IN_PROGRESS));
        assertThat(encounters.hasOpenInpatientStay(PATIENT)).isTrue();
    }

    @Test
    void starting_an_encounter_for_an_unknown_patient_is_refused() {
        fixture.givenNoPriorActivity()
                .when(admit(EncounterClass.AMB))
                .expectException(refusedWith(ErrorCode.PATIENT_NOT_FOUND, "Patient " + PATIENT + " does not exist"))
                .expectNoEvents();

        assertThat(encounters.size()).isZero();
    }

    @Test
    void starting_an_encounter_for_a_merged_patient_is_refused() {
        patients.with(PATIENT, PatientStatus.MERGED);

        fixture.givenNoPriorActivity()
                .when(admit(EncounterClass.AMB))
                .expectException(refusedWith(ErrorCode.PATIENT_MERGED))
                .expectNoEvents();

        assertThat(encounters.size()).isZero();
    }

    @Test
    void starting_an_encounter_for_a_deceased_patient_is_refused() {
        patients.with(PATIENT, PatientStatus.DECEASED);

        fixture.givenNoPriorActivity()
                .when(admit(EncounterClass.EMER))
                .expectException(refusedWith(ErrorCode.PATIENT_DECEASED))
                .expectNoEvents();

        assertThat(encounters.size()).isZero();
    }

    @Test
    void starting_an_encounter_at_an_unknown_facility_is_refused() {
        patients.with(PATIENT, PatientStatus.ACTIVE);
        FacilityId unknown = FacilityId.of("7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9");

        fixture.givenNoPriorActivity()
                .when(new StartEncounter(STAY, PATIENT, EncounterClass.AMB, unknown, null, STARTED_AT, null))
                .expectException(refusedWith(ErrorCode.FACILITY_NOT_FOUND, "Facility " + unknown + " does not exist"))
                .expectNoEvents();

        assertThat(encounters.size()).isZero();
    }

    @Test
    void admitting_a_patient_already_in_an_open_inpatient_stay_is_refused() {
        patients.with(PATIENT, PatientStatus.ACTIVE);
        encounters.with(EARLIER_STAY, PATIENT, GENERAL, EncounterClass.IMP, EncounterStatus.IN_PROGRESS);

        fixture.givenNoPriorActivity()
                .when(admit(EncounterClass.IMP))
                .expectException(refusedWith(ErrorCode.ALREADY_INPATIENT))
                .expectNoEvents();

        assertThat(encounters.get(STAY)).isEmpty();
    }

    @Test
    void an_outpatient_visit_can_start_during_an_open_inpatient_stay() {
        patients.with(PATIENT, PatientStatus.ACTIVE);
        encounters.with(EARLIER_STAY, PATIENT, GENERAL, EncounterClass.IMP, EncounterStatus.IN_PROGRESS);

        fixture.givenNoPriorActivity()
                .when(admit(EncounterClass.AMB))
                .expectEvents(new EncounterStarted(STAY, PATIENT, EncounterClass.AMB, GENERAL, "ward-3", STARTED_AT,
                        CHEST_PAIN));

        assertThat(encounters.statusOf(STAY)).contains(EncounterStatus.IN_PROGRESS);
    }

    @Test
    void a_patient_can_be_admitted_again_once_the_earlier_stay_is_finished() {
        patients.with(PATIENT, PatientStatus.ACTIVE);
        encounters.with(EARLIER_STAY, PATIENT, GENERAL, EncounterClass.IMP, EncounterStatus.FINISHED);

        fixture.givenNoPriorActivity()
                .when(admit(EncounterClass.IMP))
                .expectEvents(ADMITTED);
    }

    // transfer

    @Test
    void transferring_a_patient_records_where_from_and_where_to() {
        fixture.given(ADMITTED)
                .when(new TransferPatient(STAY, "icu-1", LATER, 0L))
                .expectEvents(new PatientTransferred(STAY, PATIENT, "ward-3", "icu-1", LATER));
    }

    @Test
    void a_second_transfer_starts_where_the_first_one_ended() {
        fixture.given(ADMITTED, new PatientTransferred(STAY, PATIENT, "ward-3", "icu-1", LATER))
                .when(new TransferPatient(STAY, "ward-5", LATER.plusSeconds(60), 1L))
                .expectEvents(new PatientTransferred(STAY, PATIENT, "icu-1", "ward-5", LATER.plusSeconds(60)));
    }

    @Test
    void a_transfer_before_the_start_is_refused() {
        fixture.given(ADMITTED)
                .when(new TransferPatient(STAY, "icu-1", STARTED_AT.minusSeconds(1), null))
                .expectException(refusedWith(ErrorCode.TRANSFER_BEFORE_START))
                .expectNoEvents();
    }

    @Test
    void a_transfer_before_the_previous_transfer_is_refused() {
        fixture.given(ADMITTED, new PatientTransferred(STAY, PATIENT, "ward-3", "icu-1", LATER))
                .when(new TransferPatient(STAY, "ward-5", LATER.minusSeconds(1), null))
                .expectException(refusedWith(ErrorCode.TRANSFER_BEFORE_PREVIOUS_TRANSFER,
                        "cannot precede the previous transfer (" + LATER + ")"))
                .expectNoEvents();
    }

    @Test
    void a_transfer_at_the_moment_of_the_previous_one_is_accepted() {
        fixture.given(ADMITTED, new PatientTransferred(STAY, PATIENT, "ward-3", "icu-1", LATER))
                .when(new TransferPatient(STAY, "ward-5", LATER, null))
                .expectEvents(new PatientTransferred(STAY, PATIENT, "icu-1", "ward-5", LATER));
    }

    @Test
    void transferring_after_discharge_is_refused() {
        fixture.given(ADMITTED, DISCHARGED)
                .when(new TransferPatient(STAY, "icu-1", LATER.plusSeconds(60), null))
                .expectException(refusedWith(ErrorCode.ENCOUNTER_NOT_IN_PROGRESS,
                        "is finished and cannot be transferred"))
                .expectNoEvents();
    }

    @Test
    void transferring_in_a_cancelled_encounter_is_refused() {
        fixture.given(ADMITTED, CANCELLED)
                .when(new TransferPatient(STAY, "icu-1", LATER.plusSeconds(60), null))
                .expectException(refusedWith(ErrorCode.ENCOUNTER_NOT_IN_PROGRESS,
                        "is cancelled and cannot be transferred"))
                .expectNoEvents();
    }

    // discharge

    @Test
    void discharging_a_patient_frees_the_inpatient_stay_in_the_registry() {
        admittedInRegistry(EncounterStatus.IN_PROGRESS);

        fixture.given(ADMITTED)
                .when(new DischargePatient(STAY, LATER, "home", 0L))
                .expectEvents(DISCHARGED);

        assertThat(encounters.statusOf(STAY)).contains(EncounterStatus.FINISHED);
        assertThat(encounters.hasOpenInpatientStay(PATIENT)).isFalse();
    }

    @Test
    void a_discharge_at_the_moment_of_the_start_is_accepted() {
        admittedInRegistry(EncounterStatus.IN_PROGRESS);

        fixture.given(ADMITTED)
                .when(new DischargePatient(STAY, STARTED_AT, null, null))
                .expectEvents(new PatientDischarged(STAY, PATIENT, STARTED_AT, null));
    }

    @Test
    void a_discharge_before_the_start_is_refused() {
        admittedInRegistry(EncounterStatus.IN_PROGRESS);

        fixture.given(ADMITTED)
                .when(new DischargePatient(STAY, STARTED_AT.minusSeconds(1), "home", null))
                .expectException(refusedWith(ErrorCode.DISCHARGE_BEFORE_START))
                .expectNoEvents();

        assertThat(encounters.statusOf(STAY)).contains(EncounterStatus.IN_PROGRESS);
    }

    @Test
    void a_discharge_before_an_earlier_transfer_is_refused() {
        admittedInRegistry(EncounterStatus.IN_PROGRESS);

        fixture.given(ADMITTED, new PatientTransferred(STAY, PATIENT, "ward-3", "icu-1", LATER))
                .when(new DischargePatient(STAY, LATER.minusSeconds(60), "home", null))
                .expectException(refusedWith(ErrorCode.DISCHARGE_BEFORE_TRANSFER,
                        "cannot precede the last transfer (" + LATER + ")"))
                .expectNoEvents();

        assertThat(encounters.statusOf(STAY)).contains(EncounterStatus.IN_PROGRESS);
    }

    @Test
    void a_discharge_at_the_moment_of_the_last_transfer_is_accepted() {
        admittedInRegistry(EncounterStatus.IN_PROGRESS);

        fixture.given(ADMITTED, new PatientTransferred(STAY, PATIENT, "ward-3", "icu-1", LATER))
                .when(new DischargePatient(STAY, LATER, "home", null))
                .expectEvents(DISCHARGED);
    }

    @Test
    void discharging_twice_is_refused() {
        admittedInRegistry(EncounterStatus.FINISHED);

        fixture.given(ADMITTED, DISCHARGED)
                .when(new DischargePatient(STAY, LATER.plusSeconds(60), "home", null))
                .expectException(refusedWith(ErrorCode.ENCOUNTER_NOT_IN_PROGRESS,
                        "is finished and cannot be discharged"))
                .expectNoEvents();
    }

    @Test
    void discharging_from_a_cancelled_encounter_is_refused() {
        admittedInRegistry(EncounterStatus.CANCELLED);

        fixture.given(ADMITTED, CANCELLED)
                .when(new DischargePatient(STAY, LATER.plusSeconds(60), "home", null))
                .expectException(refusedWith(ErrorCode.ENCOUNTER_NOT_IN_PROGRESS))
                .expectNoEvents();

        assertThat(encounters.statusOf(STAY)).contains(EncounterStatus.CANCELLED);
    }

    // cancel

    @Test
    void cancelling_an_encounter_frees_the_inpatient_stay_in_the_registry() {
        admittedInRegistry(EncounterStatus.IN_PROGRESS);

        fixture.given(ADMITTED)
                .when(new CancelEncounter(STAY, "entered by mistake", LATER, 0L))
                .expectEvents(CANCELLED);

        assertThat(encounters.statusOf(STAY)).contains(EncounterStatus.CANCELLED);
        assertThat(encounters.hasOpenInpatientStay(PATIENT)).isFalse();
    }

    @Test
    void cancelling_a_finished_encounter_is_refused() {
        admittedInRegistry(EncounterStatus.FINISHED);

        fixture.given(ADMITTED, DISCHARGED)
                .when(new CancelEncounter(STAY, "entered by mistake", LATER.plusSeconds(60), null))
                .expectException(refusedWith(ErrorCode.ENCOUNTER_FINISHED))
                .expectNoEvents();

        assertThat(encounters.statusOf(STAY)).contains(EncounterStatus.FINISHED);
    }

    @Test
    void cancelling_twice_is_refused() {
        admittedInRegistry(EncounterStatus.CANCELLED);

        fixture.given(ADMITTED, CANCELLED)
                .when(new CancelEncounter(STAY, "again", LATER.plusSeconds(60), null))
                .expectException(refusedWith(ErrorCode.ENCOUNTER_ALREADY_CANCELLED))
                .expectNoEvents();
    }

    // expected version (If-Match)

    @Test
    void a_command_with_the_current_version_is_accepted() {
        fixture.given(ADMITTED, new PatientTransferred(STAY, PATIENT, "ward-3", "icu-1", LATER))
                .when(new TransferPatient(STAY, "ward-5", LATER, 1L))
                .expectEvents(new PatientTransferred(STAY, PATIENT, "icu-1", "ward-5", LATER));
    }

    @Test
    void a_command_with_a_stale_version_is_refused() {
        fixture.given(ADMITTED, new PatientTransferred(STAY, PATIENT, "ward-3", "icu-1", LATER))
                .when(new TransferPatient(STAY, "ward-5", LATER, 0L))
                .expectException(ConflictingAggregateVersionException.class)
                .expectNoEvents();
    }

    @Test
    void discharging_with_a_stale_version_is_refused_before_the_registry_is_touched() {
        admittedInRegistry(EncounterStatus.IN_PROGRESS);

        fixture.given(ADMITTED, new PatientTransferred(STAY, PATIENT, "ward-3", "icu-1", LATER))
                .when(new DischargePatient(STAY, LATER, "home", 0L))
                .expectException(ConflictingAggregateVersionException.class)
                .expectNoEvents();

        assertThat(encounters.statusOf(STAY)).contains(EncounterStatus.IN_PROGRESS);
    }
}
