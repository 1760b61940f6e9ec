package org.clinical.command.patient;

import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.clinical.events.common.ErrorCode;
import org.clinical.events.patient.Address;
import org.clinical.events.patient.Demographics;
import org.clinical.events.patient.Gender;
import org.clinical.events.patient.HumanName;
import org.clinical.events.patient.Identifier;
import org.clinical.events.patient.MergePatient;
import org.clinical.events.patient.Mrn;
import org.clinical.events.patient.PatientEvent.PatientDeceased;
import org.clinical.events.patient.PatientEvent.PatientDemographicsUpdated;
import org.clinical.events.patient.PatientEvent.PatientMerged;
import org.clinical.events.patient.PatientEvent.PatientRegistered;
import org.clinical.events.patient.PatientId;
import org.clinical.events.patient.RecordDeath;
import org.clinical.events.patient.RegisterPatient;
import org.clinical.events.patient.Telecom;
import org.clinical.events.patient.UpdateDemographics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinical.command.Refusals.refusedWith;

class PatientTest {

    private static final PatientId ADA = PatientId.of("3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c");
    private static final PatientId SURVIVOR = PatientId.of("9d4f2b7a-6c1e-4a3b-8f5d-2e7c0a9b1d64");
    private static final Mrn MRN = new Mrn("MRN-0001");
    private static final Demographics BORN_1990 = new Demographics(new HumanName("Lovelace", List.of("Ada")),
            LocalDate.parse("1990-12-10"), Gender.FEMALE, List.of(new Identifier("urn:oid:nhs", "943 476 5919")),
            List.of(new Telecom("phone", "+44 20 7946 0000", "mobile")),
            new Address(List.of("12 St James's Square"), "London", null, "SW1Y 4JH", "GB"));
    private static final Demographics BORN_2000 = new Demographics(new HumanName("Lovelace", List.of("Ada", "King")),
            LocalDate.parse("2000-01-01"), Gender.FEMALE, List.of(), List.of(), null);
    private static final PatientRegistered REGISTERED = PatientRegistered.of(ADA, MRN, BORN_1990);
    private static final Instant MERGED_AT = Instant.parse("2025-03-05T10:30:00Z");
    private static final Instant DIED_AT = Instant.parse("2025-03-20T23:47:00Z");
    private static final PatientDeceased DECEASED = new PatientDeceased(ADA, DIED_AT);

    private final InMemoryPatientRegistry registry = new InMemoryPatientRegistry();
    private AggregateTestFixture<Patient> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Patient.class);
        fixture.registerInjectableResource(registry);
    }

    // registration: a unique MRN per tenant

    @Test
    void registering_a_patient_claims_the_mrn_as_an_active_patient() {
        fixture.givenNoPriorActivity()
                .when(new RegisterPatient(ADA, MRN, BORN_1990))
                .expectSuccessfulHandlerExecution()
                .expectEvents(REGISTERED);

        assertThat(registry.mrnOf(ADA)).contains(MRN);
        assertThat(registry.statusOf(ADA)).contains(PatientStatus.ACTIVE);
    }

    @Test
    void registering_a_patient_with_an_mrn_already_registered_is_refused() {
        registry.claimMrn(SURVIVOR, MRN);

        fixture.givenNoPriorActivity()
                .when(new RegisterPatient(ADA, MRN, BORN_1990))
                .expectException(refusedWith(ErrorCode.MRN_TAKEN, "MRN 'MRN-0001' is already registered"))
                .expectNoEvents();

        assertThat(registry.statusOf(ADA)).isEmpty();
    }

    // demographics

    @Test
    void updating_demographics_records_the_new_demographics_as_a_whole() {
        fixture.given(REGISTERED)
                .when(new UpdateDemographics(ADA, BORN_2000, 0L))
                .expectEvents(PatientDemographicsUpdated.of(ADA, BORN_2000));
    }

    @Test
    void demographics_of_a_deceased_patient_can_still_be_corrected() {
        fixture.given(REGISTERED, DECEASED)
                .when(new UpdateDemographics(ADA, BORN_2000, 1L))
                .expectEvents(PatientDemographicsUpdated.of(ADA, BORN_2000));
    }

    @Test
    void correcting_the_birth_date_to_after_the_recorded_death_is_refused() {
        Demographics bornAfterDeath = new Demographics(BORN_1990.name(), LocalDate.parse("2025-03-22"),
                Gender.FEMALE, null, null, null);

        fixture.given(REGISTERED, DECEASED)
                .when(new UpdateDemographics(ADA, bornAfterDeath, null))
                .expectException(refusedWith(ErrorCode.DEATH_BEFORE_BIRTH,
                        "Death (2025-03-20T23:47:00Z) cannot precede birth (2025-03-22) in any time zone"))
                .expectNoEvents();
    }

    @Test
    void updating_demographics_of_a_merged_patient_is_refused() {
        fixture.given(REGISTERED, new PatientMerged(ADA, SURVIVOR, MERGED_AT))
                .when(new UpdateDemographics(ADA, BORN_2000, null))
                .expectException(refusedWith(ErrorCode.PATIENT_MERGED, "takes no further commands"))
                .expectNoEvents();
    }

    // merge

    @Test
    void merging_a_patient_into_its_survivor_marks_it_merged_in_the_registry() {
        registry.with(ADA, PatientStatus.ACTIVE).with(SURVIVOR, PatientStatus.ACTIVE);

        fixture.given(REGISTERED)
                .when(new MergePatient(ADA, SURVIVOR, MERGED_AT, 0L))
                .expectEvents(new PatientMerged(ADA, SURVIVOR, MERGED_AT));

        assertThat(registry.statusOf(ADA)).contains(PatientStatus.MERGED);
        assertThat(registry.statusOf(SURVIVOR)).contains(PatientStatus.ACTIVE);
    }

    @Test
    void a_deceased_patient_can_be_merged_into_its_survivor() {
        registry.with(ADA, PatientStatus.DECEASED).with(SURVIVOR, PatientStatus.ACTIVE);

        fixture.given(REGISTERED, DECEASED)
                .when(new MergePatient(ADA, SURVIVOR, MERGED_AT, null))
                .expectEvents(new PatientMerged(ADA, SURVIVOR, MERGED_AT));

        assertThat(registry.statusOf(ADA)).contains(PatientStatus.MERGED);
    }

    @Test
    void a_deceased_survivor_can_receive_a_merge() {
        registry.with(ADA, PatientStatus.ACTIVE).with(SURVIVOR, PatientStatus.DECEASED);

        fixture.given(REGISTERED)
                .when(new MergePatient(ADA, SURVIVOR, MERGED_AT, null))
                .expectEvents(new PatientMerged(ADA, SURVIVOR, MERGED_AT));
    }

    @Test
    void merging_a_patient_into_itself_is_refused() {
        registry.with(ADA, PatientStatus.ACTIVE);

        fixture.given(REGISTERED)
                .when(new MergePatient(ADA, ADA, MERGED_AT, null))
                .expectException(refusedWith(ErrorCode.CANNOT_MERGE_INTO_ITSELF))
                .expectNoEvents();

        assertThat(registry.statusOf(ADA)).contains(PatientStatus.ACTIVE);
    }

    @Test
    void merging_into_a_survivor_that_does_not_exist_is_refused() {
        registry.with(ADA, PatientStatus.ACTIVE);

        fixture.given(REGISTERED)
                .when(new MergePatient(ADA, SURVIVOR, MERGED_AT, null))
                .expectException(refusedWith(ErrorCode.PATIENT_NOT_FOUND, "Survivor " + SURVIVOR + " does not exist"))
                .expectNoEvents();

        assertThat(registry.statusOf(ADA)).contains(PatientStatus.ACTIVE);
    }

    @Test
    void merging_into_a_survivor_that_was_itself_merged_is_refused() {
        registry.with(ADA, PatientStatus.ACTIVE).with(SURVIVOR, PatientStatus.MERGED);

        fixture.given(REGISTERED)
                .when(new MergePatient(ADA, SURVIVOR, MERGED_AT, null))
                .expectException(refusedWith(ErrorCode.SURVIVOR_NOT_ACTIVE, "was itself merged"))
                .expectNoEvents();

        assertThat(registry.statusOf(ADA)).contains(PatientStatus.ACTIVE);
    }

    @Test
    void merging_a_patient_twice_is_refused() {
        registry.with(ADA, PatientStatus.MERGED).with(SURVIVOR, PatientStatus.ACTIVE);

        fixture.given(REGISTERED, new PatientMerged(ADA, SURVIVOR, MERGED_AT))
                .when(new MergePatient(ADA, SURVIVOR, MERGED_AT.plusSeconds(60), null))
                .expectException(refusedWith(ErrorCode.PATIENT_MERGED))
                .expectNoEvents();
    }

    // death

    @Test
    void recording_a_death_marks_the_patient_deceased_in_the_registry() {
        registry.with(ADA, PatientStatus.ACTIVE);

        fixture.given(REGISTERED)
                .when(new RecordDeath(ADA, DIED_AT, 0L))
                .expectEvents(DECEASED);

        assertThat(registry.statusOf(ADA)).contains(PatientStatus.DECEASED);
    }

    @Test
    void a_death_on_the_day_of_birth_is_recorded() {
        registry.with(ADA, PatientStatus.ACTIVE);
        Instant onBirthDay = Instant.parse("1990-12-10T00:00:00Z");

        fixture.given(REGISTERED)
                .when(new RecordDeath(ADA, onBirthDay, null))
                .expectEvents(new PatientDeceased(ADA, onBirthDay));
    }

    @Test
    void recording_a_death_before_birth_in_every_time_zone_is_refused() {
        registry.with(ADA, PatientStatus.ACTIVE);

        fixture.given(REGISTERED)
                .when(new RecordDeath(ADA, Instant.parse("1990-12-09T09:59:59Z"), null))
                .expectException(refusedWith(ErrorCode.DEATH_BEFORE_BIRTH,
                        "Death (1990-12-09T09:59:59Z) cannot precede birth (1990-12-10) in any time zone"))
                .expectNoEvents();

        assertThat(registry.statusOf(ADA)).contains(PatientStatus.ACTIVE);
    }

    @Test
    void a_death_on_the_birth_date_in_the_earliest_time_zone_is_recorded() {
        registry.with(ADA, PatientStatus.ACTIVE);
        Instant midnightAtUtcPlus14 = Instant.parse("1990-12-09T10:00:00Z"); // 1990-12-10T00:00+14:00

        fixture.given(REGISTERED)
                .when(new RecordDeath(ADA, midnightAtUtcPlus14, null))
                .expectEvents(new PatientDeceased(ADA, midnightAtUtcPlus14));
    }

    @Test
    void a_death_on_the_birth_date_west_of_utc_is_recorded() {
        registry.with(ADA, PatientStatus.ACTIVE);
        Instant lateInHonolulu = Instant.parse("1990-12-11T09:00:00Z"); // 1990-12-10T23:00-10:00

        fixture.given(REGISTERED)
                .when(new RecordDeath(ADA, lateInHonolulu, null))
                .expectEvents(new PatientDeceased(ADA, lateInHonolulu));
    }

    @Test
    void a_birth_date_corrected_to_the_day_after_a_death_late_in_the_utc_day_is_kept() {
        Demographics bornNextUtcDay = new Demographics(BORN_1990.name(), LocalDate.parse("2025-03-21"),
                Gender.FEMALE, null, null, null);
        PatientDeceased diedLate = new PatientDeceased(ADA, Instant.parse("2025-03-20T10:00:00Z"));

        fixture.given(REGISTERED, diedLate)
                .when(new UpdateDemographics(ADA, bornNextUtcDay, null))
                .expectEvents(PatientDemographicsUpdated.of(ADA, bornNextUtcDay));
    }

    @Test
    void a_death_is_checked_against_the_corrected_birth_date() {
        registry.with(ADA, PatientStatus.ACTIVE);

        fixture.given(REGISTERED, PatientDemographicsUpdated.of(ADA, BORN_2000))
                .when(new RecordDeath(ADA, Instant.parse("1999-06-01T12:00:00Z"), null))
                .expectException(refusedWith(ErrorCode.DEATH_BEFORE_BIRTH))
                .expectNoEvents();
    }

    @Test
    void a_death_without_a_known_birth_date_is_recorded() {
        Demographics noBirthDate = new Demographics(BORN_1990.name(), null, Gender.UNKNOWN, null, null, null);
        registry.with(ADA, PatientStatus.ACTIVE);

        fixture.given(PatientRegistered.of(ADA, MRN, noBirthDate))
                .when(new RecordDeath(ADA, DIED_AT, null))
                .expectEvents(DECEASED);
    }

    @Test
    void recording_a_death_twice_is_refused() {
        registry.with(ADA, PatientStatus.DECEASED);

        fixture.given(REGISTERED, DECEASED)
                .when(new RecordDeath(ADA, DIED_AT.plusSeconds(3600), null))
                .expectException(refusedWith(ErrorCode.PATIENT_DECEASED, "already recorded"))
                .expectNoEvents();
    }

    @Test
    void recording_the_death_of_a_merged_patient_is_refused() {
        registry.with(ADA, PatientStatus.MERGED);

        fixture.given(REGISTERED, new PatientMerged(ADA, SURVIVOR, MERGED_AT))
                .when(new RecordDeath(ADA, DIED_AT, null))
                .expectException(refusedWith(ErrorCode.PATIENT_MERGED))
                .expectNoEvents();

        assertThat(registry.statusOf(ADA)).contains(PatientStatus.MERGED);
    }

    // expected version (If-Match)

    @Test
    void a_command_with_the_current_version_is_accepted() {
        fixture.given(REGISTERED, PatientDemographicsUpdated.of(ADA, BORN_2000))
                .when(new UpdateDemographics(ADA, BORN_1990, 1L))
                .expectEvents(PatientDemographicsUpdated.of(ADA, BORN_1990));
    }

    @Test
    void a_command_with_a_stale_version_is_refused() {
        fixture.given(REGISTERED, PatientDemographicsUpdated.of(ADA, BORN_2000))
                .when(new UpdateDemographics(ADA, BORN_1990, 0L))
                .expectException(ConflictingAggregateVersionException.class)
                .expectNoEvents();
    }

    @Test
    void a_stale_version_is_refused_before_any_rule_and_touches_nothing() {
        registry.with(ADA, PatientStatus.ACTIVE);

        fixture.given(REGISTERED, PatientDemographicsUpdated.of(ADA, BORN_1990))
                .when(new RecordDeath(ADA, DIED_AT, 0L))
                .expectException(ConflictingAggregateVersionException.class)
                .expectNoEvents();

        assertThat(registry.statusOf(ADA)).contains(PatientStatus.ACTIVE);
    }

    @Test
    void a_stale_version_wins_over_a_broken_rule() {
        fixture.given(REGISTERED, PatientDemographicsUpdated.of(ADA, BORN_1990), new PatientMerged(ADA, SURVIVOR, MERGED_AT))
                .when(new UpdateDemographics(ADA, BORN_2000, 0L))
                .expectException(ConflictingAggregateVersionException.class);
    }

    @Test
    void a_version_from_the_future_is_refused_too() {
        fixture.given(REGISTERED)
                .when(new UpdateDemographics(ADA, BORN_1990, 5L))
                .expectException(ConflictingAggregateVersionException.class)
                .expectNoEvents();
    }
}
