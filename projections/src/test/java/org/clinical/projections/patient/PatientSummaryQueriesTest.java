package org.clinical.projections.patient;

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
import org.clinical.projections.patient.PatientSummaryQueries.PatientRow;
import org.clinical.projections.support.CountedStatements;
import org.clinical.projections.support.ProjectionHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinical.projections.support.ReadModelSql.json;

/**
 * {@link PatientSummaryQueries} over the patients the projection wrote from stored events, read as the query side
 * reads them. One tenant for the class; each test has patients of its own.
 */
class PatientSummaryQueriesTest {

    private static final Identifier SSN = new Identifier("urn:oid:2.16.840.1.113883.4.1", "123-45-6789");
    private static final Identifier LOCAL = new Identifier(null, "A-77");
    private static final Telecom PHONE = new Telecom("phone", "+44 20 7946 0000", "home");
    private static final Address ADDRESS = new Address(List.of("12 St James's Square", "Flat 3"), "London", null,
            "SW1Y 4JH", "GB");
    private static final Instant LATER = Instant.parse("2025-03-03T08:00:00Z");

    private static ProjectionHarness patients;

    private final PatientId ada = newId();

    @BeforeAll
    static void start() {
        patients = ProjectionHarness.start(PatientProjection.READ_MODEL, PatientProjection::new);
    }

    @AfterAll
    static void stop() {
        patients.close();
    }

    @Test
    void a_registered_patients_row_holds_every_field_of_its_registration_at_version_1() {
        PatientRegistered registered = registered(ada);
        patients.apply(registered);

        PatientRow row = row(ada);

        assertThat(row).usingRecursiveComparison().ignoringFields("identifiers", "telecom", "address")
                .isEqualTo(new PatientRow(ada.value(), registered.mrn().value(), registered.name().family(),
                        registered.name().given(), registered.birthDate(), lowerCase(registered.gender()), true, null,
                        null, null, null, null, 1));
        assertThat(json(row.identifiers())).isEqualTo(json("""
                [{"system": "%s", "value": "%s"}, {"system": null, "value": "%s"}]"""
                .formatted(SSN.system(), SSN.value(), LOCAL.value())));
        assertThat(json(row.telecom())).isEqualTo(json("""
                [{"system": "%s", "value": "%s", "use": "%s"}]"""
                .formatted(PHONE.system(), PHONE.value(), PHONE.use())));
        assertThat(json(row.address())).isEqualTo(json("""
                {"line": ["%s", "%s"], "city": "%s", "state": null, "postalCode": "%s", "country": "%s"}"""
                .formatted(ADDRESS.line().get(0), ADDRESS.line().get(1), ADDRESS.city(), ADDRESS.postalCode(),
                        ADDRESS.country())));
    }

    @Test
    void a_patient_registered_with_a_name_and_mrn_alone_has_empty_lists_and_nothing_else() {
        PatientRegistered bare = new PatientRegistered(ada, newMrn(), new HumanName("Nobody", null), null, null,
                null, null, null);
        patients.apply(bare);

        assertThat(row(ada)).isEqualTo(new PatientRow(ada.value(), bare.mrn().value(), "Nobody", List.of(), null,
                null, true, null, null, "[]", "[]", null, 1));
    }

    @Test
    void updated_demographics_replace_the_rows_demographics_keep_its_mrn_and_come_at_the_next_version() {
        PatientRegistered registered = registered(ada);
        PatientDemographicsUpdated corrected = new PatientDemographicsUpdated(ada,
                new HumanName("Byron", List.of("Ada")), LocalDate.of(1815, 12, 10), Gender.OTHER,
                List.of(new Identifier("urn:uk:nhs", "943 476 5919")), List.of(), null);
        patients.apply(registered);

        patients.at(LATER).apply(corrected);

        PatientRow row = row(ada);
        assertThat(row).usingRecursiveComparison().ignoringFields("identifiers")
                .isEqualTo(new PatientRow(ada.value(), registered.mrn().value(), "Byron", List.of("Ada"),
                        corrected.birthDate(), lowerCase(corrected.gender()), true, null, null, null, "[]", null, 2));
        assertThat(json(row.identifiers())).isEqualTo(json("""
                [{"system": "urn:uk:nhs", "value": "943 476 5919"}]"""));
    }

    @Test
    void a_deceased_patient_has_its_time_of_death_stays_active_and_comes_at_the_next_version() {
        Instant death = Instant.parse("2025-03-02T23:59:30Z");
        patients.apply(registered(ada));
        PatientRow alive = row(ada);

        patients.at(LATER).apply(new PatientDeceased(ada, death));

        assertThat(row(ada)).isEqualTo(new PatientRow(alive.patientId(), alive.mrn(), alive.family(), alive.given(),
                alive.birthDate(), alive.gender(), true, death, null, alive.identifiers(), alive.telecom(),
                alive.address(), 2));
    }

    @Test
    void a_merged_patient_is_inactive_and_points_to_its_survivor_whose_row_stays_as_it_was() {
        PatientId survivor = newId();
        patients.apply(registered(ada), registered(survivor));
        PatientRow merging = row(ada);
        PatientRow surviving = row(survivor);

        patients.at(LATER).apply(new PatientMerged(ada, survivor, LATER));

        assertThat(row(ada)).isEqualTo(new PatientRow(merging.patientId(), merging.mrn(), merging.family(),
                merging.given(), merging.birthDate(), merging.gender(), false, null, survivor.value(),
                merging.identifiers(), merging.telecom(), merging.address(), 2));
        assertThat(row(survivor)).isEqualTo(surviving);
    }

    @Test
    void every_patient_the_read_model_holds_is_known_whether_merged_deceased_or_neither() {
        PatientId survivor = newId();
        PatientId deceased = newId();
        patients.apply(registered(ada), registered(survivor), registered(deceased));
        patients.apply(new PatientMerged(ada, survivor, LATER), new PatientDeceased(deceased, LATER));

        assertThat(List.of(ada, survivor, deceased))
                .allSatisfy(id -> assertThat(PatientSummaryQueries.known(patients.read(), id.value())).isTrue());
    }

    @Test
    void a_patient_the_tenants_read_model_does_not_hold_has_no_row_and_is_not_known() {
        UUID never = UUID.randomUUID();
        assertThat(PatientSummaryQueries.patient(patients.read(), never)).isEmpty();
        assertThat(PatientSummaryQueries.known(patients.read(), never)).isFalse();

        try (ProjectionHarness other = ProjectionHarness.start(PatientProjection.READ_MODEL,
                PatientProjection::new)) {
            other.apply(registered(ada));
            assertThat(PatientSummaryQueries.known(other.read(), ada.value())).isTrue();

            assertThat(PatientSummaryQueries.patient(patients.read(), ada.value())).isEmpty();
            assertThat(PatientSummaryQueries.known(patients.read(), ada.value())).isFalse();
        }
    }

    @Test
    void each_read_is_one_statement_so_from_one_snapshot() {
        patients.apply(registered(ada));
        CountedStatements patient = new CountedStatements(patients.read());
        CountedStatements known = new CountedStatements(patients.read());

        assertThat(PatientSummaryQueries.patient(patient.read(), ada.value())).isPresent();
        assertThat(PatientSummaryQueries.known(known.read(), ada.value())).isTrue();

        assertThat(patient.sent()).isEqualTo(1);
        assertThat(known.sent()).isEqualTo(1);
    }

    private static PatientRow row(PatientId id) {
        return PatientSummaryQueries.patient(patients.read(), id.value()).orElseThrow();
    }

    private static PatientRegistered registered(PatientId id) {
        return new PatientRegistered(id, newMrn(), new HumanName("García-López", List.of("Ada", "María")),
                LocalDate.of(1980, 12, 10), Gender.FEMALE, List.of(SSN, LOCAL), List.of(PHONE), ADDRESS);
    }

    private static String lowerCase(Gender gender) {
        return gender.name().toLowerCase(Locale.ROOT);
    }

    private static PatientId newId() {
        return new PatientId(UUID.randomUUID());
    }

    private static Mrn newMrn() {
        return new Mrn("MRN-" + UUID.randomUUID().toString().substring(0, 8));
    }
}
