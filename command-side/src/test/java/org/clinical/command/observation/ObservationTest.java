package org.clinical.command.observation;

import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.clinical.command.encounter.EncounterStatus;
import org.clinical.command.patient.PatientStatus;
import org.clinical.events.common.Coding;
import org.clinical.events.common.ErrorCode;
import org.clinical.events.encounter.EncounterId;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.observation.AmendObservation;
import org.clinical.events.observation.MarkEnteredInError;
import org.clinical.events.observation.ObservationEvent.ObservationAmended;
import org.clinical.events.observation.ObservationEvent.ObservationEnteredInError;
import org.clinical.events.observation.ObservationEvent.ObservationRecorded;
import org.clinical.events.observation.ObservationId;
import org.clinical.events.observation.ObservationValue;
import org.clinical.events.observation.ObservationValue.Quantity;
import org.clinical.events.observation.ObservationValue.StringValue;
import org.clinical.events.observation.RecordObservation;
import org.clinical.events.observation.ReferenceRange;
import org.clinical.events.patient.PatientId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;

import static org.clinical.command.Refusals.refusedWith;

class ObservationTest {

    static final ObservationId GLUCOSE = ObservationId.of("c0ffee00-1234-4abc-8def-000000000001");
    static final PatientId PATIENT = PatientId.of("3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c");
    static final PatientId OTHER_PATIENT = PatientId.of("9d4f2b7a-6c1e-4a3b-8f5d-2e7c0a9b1d64");
    static final EncounterId STAY = EncounterId.of("5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d");
    static final FacilityId GENERAL = FacilityId.of("0b8a3f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b");
    static final Coding GLUCOSE_CODE = new Coding("http://loinc.org", "2345-7", "Glucose");
    static final Instant EFFECTIVE_AT = Instant.parse("2025-03-01T08:15:00Z");
    static final Quantity MMOL_7_2 = new Quantity(new BigDecimal("7.2"), "mmol/L");
    static final ReferenceRange NORMAL = new ReferenceRange(new BigDecimal("3.9"), new BigDecimal("5.6"));

    private static final Instant LATER = EFFECTIVE_AT.plusSeconds(3600);
    private static final Quantity MMOL_6_1 = new Quantity(new BigDecimal("6.1"), "mmol/L");
    private static final ObservationRecorded RECORDED = new ObservationRecorded(GLUCOSE, PATIENT, STAY, GENERAL,
            GLUCOSE_CODE, "laboratory", EFFECTIVE_AT, MMOL_7_2, NORMAL);
    private static final ObservationEnteredInError ENTERED_IN_ERROR = new ObservationEnteredInError(GLUCOSE, PATIENT,
            "wrong patient", LATER);

    private final InMemoryObservationSubjects subjects = new InMemoryObservationSubjects();
    private AggregateTestFixture<Observation> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Observation.class);
        fixture.registerInjectableResource(subjects);
    }

    static RecordObservation glucose(ObservationId id, PatientId patient, EncounterId encounter) {
        return new RecordObservation(id, patient, encounter, GLUCOSE_CODE, "laboratory", EFFECTIVE_AT, MMOL_7_2,
                NORMAL);
    }

    private static RecordObservation recording(ObservationValue value, ReferenceRange range) {
        return new RecordObservation(GLUCOSE, PATIENT, null, GLUCOSE_CODE, "laboratory", EFFECTIVE_AT, value, range);
    }

    // record

    @Test
    void recording_an_observation_in_an_encounter_carries_the_encounters_facility() {
        subjects.patient(PATIENT, PatientStatus.ACTIVE).encounter(STAY, PATIENT, GENERAL, EncounterStatus.IN_PROGRESS);

        fixture.givenNoPriorActivity()
                .when(glucose(GLUCOSE, PATIENT, STAY))
                .expectSuccessfulHandlerExecution()
                .expectEvents(RECORDED);
    }

    @Test
    void an_observation_without_an_encounter_has_no_facility() {
        subjects.patient(PATIENT, PatientStatus.ACTIVE);

        fixture.givenNoPriorActivity()
                .when(glucose(GLUCOSE, PATIENT, null))
                .expectEvents(new ObservationRecorded(GLUCOSE, PATIENT, null, null, GLUCOSE_CODE, "laboratory",
                        EFFECTIVE_AT, MMOL_7_2, NORMAL));
    }

    @Test
    void a_result_arriving_after_discharge_is_recorded_in_the_finished_encounter() {
        subjects.patient(PATIENT, PatientStatus.ACTIVE).encounter(STAY, PATIENT, GENERAL, EncounterStatus.FINISHED);

        fixture.givenNoPriorActivity()
                .when(glucose(GLUCOSE, PATIENT, STAY))
                .expectEvents(RECORDED);
    }

    @Test
    void an_observation_about_a_deceased_patient_is_recorded() {
        subjects.patient(PATIENT, PatientStatus.DECEASED);

        fixture.givenNoPriorActivity()
                .when(glucose(GLUCOSE, PATIENT, null))
                .expectEvents(new ObservationRecorded(GLUCOSE, PATIENT, null, null, GLUCOSE_CODE, "laboratory",
                        EFFECTIVE_AT, MMOL_7_2, NORMAL));
    }

    @Test
    void an_observation_about_an_unknown_patient_is_refused() {
        fixture.givenNoPriorActivity()
                .when(glucose(GLUCOSE, PATIENT, null))
                .expectException(refusedWith(ErrorCode.PATIENT_NOT_FOUND, "Patient " + PATIENT + " does not exist"))
                .expectNoEvents();
    }

    @Test
    void an_observation_about_a_merged_patient_is_refused() {
        subjects.patient(PATIENT, PatientStatus.MERGED);

        fixture.givenNoPriorActivity()
                .when(glucose(GLUCOSE, PATIENT, null))
                .expectException(refusedWith(ErrorCode.PATIENT_MERGED))
                .expectNoEvents();
    }

    @Test
    void an_observation_in_an_unknown_encounter_is_refused() {
        subjects.patient(PATIENT, PatientStatus.ACTIVE);

        fixture.givenNoPriorActivity()
                .when(glucose(GLUCOSE, PATIENT, STAY))
                .expectException(refusedWith(ErrorCode.ENCOUNTER_NOT_FOUND, "Encounter " + STAY + " does not exist"))
                .expectNoEvents();
    }

    @Test
    void an_observation_in_another_patients_encounter_is_refused() {
        subjects.patient(PATIENT, PatientStatus.ACTIVE)
                .encounter(STAY, OTHER_PATIENT, GENERAL, EncounterStatus.IN_PROGRESS);

        fixture.givenNoPriorActivity()
                .when(glucose(GLUCOSE, PATIENT, STAY))
                .expectException(refusedWith(ErrorCode.ENCOUNTER_OF_ANOTHER_PATIENT))
                .expectNoEvents();
    }

    @Test
    void an_observation_in_a_cancelled_encounter_is_refused() {
        subjects.patient(PATIENT, PatientStatus.ACTIVE).encounter(STAY, PATIENT, GENERAL, EncounterStatus.CANCELLED);

        fixture.givenNoPriorActivity()
                .when(glucose(GLUCOSE, PATIENT, STAY))
                .expectException(refusedWith(ErrorCode.ENCOUNTER_CANCELLED))
                .expectNoEvents();
    }

    @Test
    void a_quantity_without_a_reference_range_is_recorded() {
        subjects.patient(PATIENT, PatientStatus.ACTIVE);

        fixture.givenNoPriorActivity()
                .when(recording(MMOL_7_2, null))
                .expectEvents(new ObservationRecorded(GLUCOSE, PATIENT, null, null, GLUCOSE_CODE, "laboratory",
                        EFFECTIVE_AT, MMOL_7_2, null));
    }

    @Test
    void a_reference_range_on_a_value_that_is_not_a_quantity_is_refused() {
        subjects.patient(PATIENT, PatientStatus.ACTIVE);

        fixture.givenNoPriorActivity()
                .when(recording(new StringValue("clear"), NORMAL))
                .expectException(refusedWith(ErrorCode.REFERENCE_RANGE_NEEDS_QUANTITY))
                .expectNoEvents();
    }

    // amend

    @Test
    void amending_an_observation_records_the_new_value_and_why() {
        fixture.given(RECORDED)
                .when(new AmendObservation(GLUCOSE, MMOL_6_1, NORMAL, "transcription error", LATER, 0L))
                .expectEvents(new ObservationAmended(GLUCOSE, PATIENT, MMOL_6_1, NORMAL, "transcription error", LATER));
    }

    @Test
    void an_amended_observation_can_be_amended_again() {
        fixture.given(RECORDED, new ObservationAmended(GLUCOSE, PATIENT, MMOL_6_1, NORMAL, "typo", LATER))
                .when(new AmendObservation(GLUCOSE, MMOL_7_2, null, "re-run", LATER.plusSeconds(60), 1L))
                .expectEvents(new ObservationAmended(GLUCOSE, PATIENT, MMOL_7_2, null, "re-run", LATER.plusSeconds(60)));
    }

    @Test
    void amending_to_a_reference_range_on_a_value_that_is_not_a_quantity_is_refused() {
        fixture.given(RECORDED)
                .when(new AmendObservation(GLUCOSE, new StringValue("haemolysed"), NORMAL, "sample", LATER, null))
                .expectException(refusedWith(ErrorCode.REFERENCE_RANGE_NEEDS_QUANTITY))
                .expectNoEvents();
    }

    @Test
    void amending_an_observation_entered_in_error_is_refused() {
        fixture.given(RECORDED, ENTERED_IN_ERROR)
                .when(new AmendObservation(GLUCOSE, MMOL_6_1, NORMAL, "typo", LATER.plusSeconds(60), null))
                .expectException(refusedWith(ErrorCode.OBSERVATION_ENTERED_IN_ERROR, "was entered in error"))
                .expectNoEvents();
    }

    // entered in error

    @Test
    void marking_an_observation_entered_in_error_keeps_it_with_the_reason() {
        fixture.given(RECORDED)
                .when(new MarkEnteredInError(GLUCOSE, "wrong patient", LATER, 0L))
                .expectEvents(ENTERED_IN_ERROR);
    }

    @Test
    void an_amended_observation_can_be_marked_entered_in_error() {
        fixture.given(RECORDED, new ObservationAmended(GLUCOSE, PATIENT, MMOL_6_1, NORMAL, "typo", LATER))
                .when(new MarkEnteredInError(GLUCOSE, "wrong patient", LATER, 1L))
                .expectEvents(ENTERED_IN_ERROR);
    }

    @Test
    void marking_an_observation_entered_in_error_twice_is_refused() {
        fixture.given(RECORDED, ENTERED_IN_ERROR)
                .when(new MarkEnteredInError(GLUCOSE, "again", LATER.plusSeconds(60), null))
                .expectException(refusedWith(ErrorCode.OBSERVATION_ENTERED_IN_ERROR))
                .expectNoEvents();
    }

    // expected version

    @Test
    void amending_with_a_stale_version_is_refused() {
        fixture.given(RECORDED, new ObservationAmended(GLUCOSE, PATIENT, MMOL_6_1, NORMAL, "typo", LATER))
                .when(new AmendObservation(GLUCOSE, MMOL_7_2, NORMAL, "re-run", LATER, 0L))
                .expectException(ConflictingAggregateVersionException.class)
                .expectNoEvents();
    }
}
