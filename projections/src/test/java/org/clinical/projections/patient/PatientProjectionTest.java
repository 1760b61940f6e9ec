package org.clinical.projections.patient;

import org.axonframework.eventhandling.TrackedEventMessage;
import org.clinical.events.encounter.EncounterClass;
import org.clinical.events.encounter.EncounterEvent.EncounterStarted;
import org.clinical.events.encounter.EncounterId;
import org.clinical.events.facility.FacilityEvent.FacilityRegistered;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.facility.FacilityType;
import org.clinical.events.patient.Address;
import org.clinical.events.patient.Gender;
import org.clinical.events.patient.HumanName;
import org.clinical.events.patient.Identifier;
import org.clinical.events.patient.Mrn;
import org.clinical.events.patient.PatientEvent.PatientDeceased;
import org.clinical.events.patient.PatientEvent.PatientDemographicsUpdated;
import org.clinical.events.patient.PatientEvent.PatientMerged;
import org.clinical.events.patient.PatientEvent.PatientRegistered;
import org.clinical.events.patient.PatientId;
import org.clinical.events.patient.Telecom;
import org.clinical.projections.support.ProjectionHarness;
import org.clinical.projections.support.ProjectionHarness.Mode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinical.projections.support.ProjectionHarness.together;
import static org.clinical.projections.support.ReadModelSql.json;

/** The patients read model as its projection writes it from the tenant's stored events (docs/read-models.md). */
class PatientProjectionTest {

    private static final Instant REGISTERED = Instant.parse("2025-03-01T10:00:00Z");
    private static final Instant CORRECTED = Instant.parse("2025-03-02T11:30:00Z");
    private static final Instant LATER = Instant.parse("2025-03-03T08:00:00Z");
    private static final String[] TABLES = {"patient", "patient_name_part", "name_word", "patient_identifier"};

    private final PatientId ada = new PatientId(UUID.randomUUID());
    private final PatientId bob = new PatientId(UUID.randomUUID());
    private ProjectionHarness patients;

    @BeforeEach
    void start() {
        patients = ProjectionHarness.start(PatientProjection.READ_MODEL, PatientProjection::new);
    }

    @AfterEach
    void stop() {
        patients.close();
    }

    @Test
    void a_registered_patient_has_its_row_at_version_1_with_the_time_of_its_event() {
        patients.at(REGISTERED).apply(registered(ada, "MRN-1"));

        assertThat(patients.row("select * from {s}.patient where patient_id = ?", ada.value()))
                .containsEntry("mrn", "MRN-1")
                .containsEntry("family", "García-López")
                .containsEntry("given", List.of("Ada", "María"))
                .containsEntry("birth_date", LocalDate.of(1980, 12, 10))
                .containsEntry("gender", "female")
                .containsEntry("identifiers", json("""
                        [{"system": "urn:oid:2.16.840.1.113883.4.1", "value": "123-45-6789"},
                         {"system": null, "value": "A-77"}]"""))
                .containsEntry("telecom", json("""
                        [{"system": "phone", "value": "+44 20 7946 0000", "use": "home"}]"""))
                .containsEntry("address", json("""
                        {"line": ["12 St James's Square"], "city": "London", "state": null, "postalCode": "SW1Y 4JH",
                         "country": "GB"}"""))
                .containsEntry("active", true)
                .containsEntry("deceased_at", null)
                .containsEntry("merged_into", null)
                .containsEntry("version", 1L)
                .containsEntry("registered_at", REGISTERED)
                .containsEntry("updated_at", REGISTERED)
                .containsEntry("sort_key", "garcia-lopez ada maria");
        assertThat(patients.toldChanged()).containsExactly(Set.of(ada.toString()));
    }

    @Test
    void a_registered_patient_is_found_by_each_part_of_its_names_and_by_its_identifiers() {
        patients.apply(registered(ada, "MRN-1"));

        assertThat(patients.rows("select part, sort_key from {s}.patient_name_part where patient_id = ? order by part",
                ada.value())).containsExactly(
                Map.of("part", "ada", "sort_key", "garcia-lopez ada maria"),
                Map.of("part", "garcia", "sort_key", "garcia-lopez ada maria"),
                Map.of("part", "lopez", "sort_key", "garcia-lopez ada maria"),
                Map.of("part", "maria", "sort_key", "garcia-lopez ada maria"));
        assertThat(patients.rows("select word from {s}.name_word order by word")).extracting(r -> r.get("word"))
                .containsExactly("ada", "garcia", "lopez", "maria");
        assertThat(patients.rows("select system, value from {s}.patient_identifier where patient_id = ?"
                + " order by system", ada.value())).containsExactly(
                Map.of("system", "", "value", "A-77"),
                Map.of("system", "urn:oid:2.16.840.1.113883.4.1", "value", "123-45-6789"));
    }

    @Test
    void corrected_demographics_replace_the_row_its_name_parts_and_identifiers_and_the_vocabulary_keeps_old_words() {
        patients.at(REGISTERED).apply(registered(ada, "MRN-1"));
        patients.at(CORRECTED).apply(corrected(ada));

        assertThat(patients.row("select * from {s}.patient where patient_id = ?", ada.value()))
                .containsEntry("mrn", "MRN-1")
                .containsEntry("family", "Byron")
                .containsEntry("given", List.of("Ada"))
                .containsEntry("birth_date", LocalDate.of(1815, 12, 10))
                .containsEntry("gender", "other")
                .containsEntry("identifiers", json("[{\"system\": \"urn:uk:nhs\", \"value\": \"943 476 5919\"}]"))
                .containsEntry("telecom", json("[]"))
                .containsEntry("address", null)
                .containsEntry("version", 2L)
                .containsEntry("registered_at", REGISTERED)
                .containsEntry("updated_at", CORRECTED)
                .containsEntry("sort_key", "byron ada");
        assertThat(patients.rows("select part from {s}.patient_name_part where patient_id = ? order by part",
                ada.value())).extracting(r -> r.get("part")).containsExactly("ada", "byron");
        assertThat(patients.rows("select system, value from {s}.patient_identifier where patient_id = ?",
                ada.value())).containsExactly(Map.of("system", "urn:uk:nhs", "value", "943 476 5919"));
        assertThat(patients.rows("select word from {s}.name_word order by word")).extracting(r -> r.get("word"))
                .containsExactly("ada", "byron", "garcia", "lopez", "maria");
    }

    @Test
    void a_merged_patient_stops_being_active_and_points_to_the_survivor_whose_row_stays_as_it_was() {
        patients.at(REGISTERED).apply(registered(ada, "MRN-1"), registered(bob, "MRN-2"));
        Map<String, Object> survivor = patients.row("select * from {s}.patient where patient_id = ?", ada.value());

        patients.at(LATER).apply(new PatientMerged(bob, ada, LATER));

        assertThat(patients.row("select * from {s}.patient where patient_id = ?", bob.value()))
                .containsEntry("active", false)
                .containsEntry("merged_into", ada.value())
                .containsEntry("version", 2L)
                .containsEntry("registered_at", REGISTERED)
                .containsEntry("updated_at", LATER)
                .containsEntry("mrn", "MRN-2");
        assertThat(patients.row("select * from {s}.patient where patient_id = ?", ada.value())).isEqualTo(survivor);
        assertThat(patients.toldChanged()).last().isEqualTo(Set.of(bob.toString()));
    }

    @Test
    void a_deceased_patient_keeps_the_time_of_death_the_event_gives_and_stays_active() {
        Instant death = Instant.parse("2025-03-02T23:59:30Z");
        patients.at(REGISTERED).apply(registered(ada, "MRN-1"));

        patients.at(LATER).apply(new PatientDeceased(ada, death));

        assertThat(patients.row("select * from {s}.patient where patient_id = ?", ada.value()))
                .containsEntry("deceased_at", death)
                .containsEntry("active", true)
                .containsEntry("version", 2L)
                .containsEntry("updated_at", LATER);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void every_event_of_one_patient_in_one_batch_applies_in_order(Mode mode) {
        Instant death = Instant.parse("2025-03-02T23:59:30Z");
        patients.handle(mode, together(
                patients.at(REGISTERED).append(registered(ada, "MRN-1")),
                patients.at(CORRECTED).append(corrected(ada)),
                patients.at(LATER).append(new PatientDeceased(ada, death), new PatientMerged(ada, bob, LATER))));

        assertThat(patients.row("select * from {s}.patient where patient_id = ?", ada.value()))
                .containsEntry("family", "Byron")
                .containsEntry("deceased_at", death)
                .containsEntry("active", false)
                .containsEntry("merged_into", bob.value())
                .containsEntry("version", 4L)
                .containsEntry("registered_at", REGISTERED)
                .containsEntry("updated_at", LATER);
        assertThat(patients.rows("select part from {s}.patient_name_part where patient_id = ? order by part",
                ada.value())).extracting(r -> r.get("part")).containsExactly("ada", "byron");
        assertThat(patients.rows("select value from {s}.patient_identifier where patient_id = ?", ada.value()))
                .extracting(r -> r.get("value")).containsExactly("943 476 5919");
        assertThat(patients.toldChanged()).containsExactly(Set.of(ada.toString()));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void the_same_batch_handled_twice_changes_nothing(Mode mode) {
        List<TrackedEventMessage<?>> batch = together(
                patients.at(REGISTERED).append(registered(ada, "MRN-1"), registered(bob, "MRN-2")),
                patients.at(CORRECTED).append(corrected(ada)),
                patients.at(LATER).append(new PatientMerged(bob, ada, LATER), new PatientDeceased(ada, LATER)));
        patients.handle(mode, batch);
        Map<String, List<String>> once = patients.tables(TABLES);

        patients.handle(mode, batch);

        assertThat(patients.tables(TABLES)).isEqualTo(once);
    }

    @Test
    void events_of_other_aggregates_pass_through_without_changing_a_row_or_telling_a_patient() {
        patients.apply(registered(ada, "MRN-1"));
        Map<String, List<String>> before = patients.tables(TABLES);
        FacilityId facility = new FacilityId(UUID.randomUUID());

        patients.at(LATER).apply(
                new FacilityRegistered(facility, "STJ", "St James's", FacilityType.HOSPITAL, 120, LATER),
                new EncounterStarted(new EncounterId(UUID.randomUUID()), ada, EncounterClass.IMP, facility, "Ward 1",
                        LATER, null));

        assertThat(patients.tables(TABLES)).isEqualTo(before);
        assertThat(patients.toldChanged()).containsExactly(Set.of(ada.toString()));
    }

    private static PatientRegistered registered(PatientId id, String mrn) {
        return new PatientRegistered(id, new Mrn(mrn), new HumanName("García-López", List.of("Ada", "María")),
                LocalDate.of(1980, 12, 10), Gender.FEMALE,
                List.of(new Identifier("urn:oid:2.16.840.1.113883.4.1", "123-45-6789"), new Identifier(null, "A-77")),
                List.of(new Telecom("phone", "+44 20 7946 0000", "home")),
                new Address(List.of("12 St James's Square"), "London", null, "SW1Y 4JH", "GB"));
    }

    private static PatientDemographicsUpdated corrected(PatientId id) {
        return new PatientDemographicsUpdated(id, new HumanName("Byron", List.of("Ada")), LocalDate.of(1815, 12, 10),
                Gender.OTHER, List.of(new Identifier("urn:uk:nhs", "943 476 5919")), List.of(), null);
    }
}
