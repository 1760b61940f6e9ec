package org.clinical.projections.facility;

import org.axonframework.eventhandling.TrackedEventMessage;
import org.clinical.events.facility.FacilityEvent.FacilityRegistered;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.facility.FacilityType;
import org.clinical.events.patient.Gender;
import org.clinical.events.patient.HumanName;
import org.clinical.events.patient.Mrn;
import org.clinical.events.patient.PatientEvent.PatientRegistered;
import org.clinical.events.patient.PatientId;
import org.clinical.projections.support.ProjectionHarness;
import org.clinical.projections.support.ProjectionHarness.Mode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinical.projections.support.ReadModelSql.columns;

/** The facilities read model as its projection writes it from the tenant's stored events (docs/read-models.md). */
class FacilityProjectionTest {

    private static final Instant REGISTERED = Instant.parse("2025-03-01T08:15:00Z");
    /** When the event was stored: not the registration's own time, which the row keeps. */
    private static final Instant STORED = Instant.parse("2025-03-01T08:15:02Z");

    private ProjectionHarness facilities;

    @BeforeEach
    void start() {
        facilities = ProjectionHarness.start(FacilityProjection.READ_MODEL, FacilityProjection::new);
        facilities.at(STORED);
    }

    @AfterEach
    void stop() {
        facilities.close();
    }

    @Test
    void a_registration_is_a_row_with_its_code_name_type_beds_and_time_at_version_1() {
        FacilityId id = new FacilityId(UUID.randomUUID());

        facilities.apply(registered(id, "GEN", FacilityType.HOSPITAL, 250));

        assertThat(facilities.row("select * from {s}.facility where facility_id = ?", id.value())).isEqualTo(columns(
                "facility_id", id.value(), "code", "GEN", "name", "Facility GEN", "type", "hospital", "beds", 250,
                "registered_at", REGISTERED, "version", 1L));
        assertThat(facilities.toldChanged()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void the_same_batch_handled_twice_changes_no_row(Mode mode) {
        List<TrackedEventMessage<?>> batch = facilities.append(
                registered(new FacilityId(UUID.randomUUID()), "LAB", FacilityType.LAB, null),
                registered(new FacilityId(UUID.randomUUID()), "CLINIC", FacilityType.CLINIC, 12));
        facilities.handle(mode, batch);
        Map<String, List<String>> once = facilities.tables("facility");

        facilities.handle(mode, batch);

        assertThat(facilities.tables("facility")).isEqualTo(once);
        assertThat(once.get("facility")).hasSize(2);
    }

    @Test
    void events_of_other_aggregates_pass_through_without_changing_a_row() {
        facilities.apply(registered(new FacilityId(UUID.randomUUID()), "GEN", FacilityType.HOSPITAL, 250));
        Map<String, List<String>> before = facilities.tables("facility");

        facilities.apply(new PatientRegistered(new PatientId(UUID.randomUUID()), new Mrn("MRN-1"),
                new HumanName("Lovelace", List.of("Ada")), null, Gender.FEMALE, List.of(), List.of(), null));

        assertThat(facilities.tables("facility")).isEqualTo(before);
    }

    private static FacilityRegistered registered(FacilityId id, String code, FacilityType type, Integer beds) {
        return new FacilityRegistered(id, code, "Facility " + code, type, beds, REGISTERED);
    }
}
