package org.clinical.command.facility;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.clinical.events.common.ErrorCode;
import org.clinical.events.facility.FacilityEvent.FacilityRegistered;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.facility.FacilityType;
import org.clinical.events.facility.RegisterFacility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinical.command.Refusals.refusedWith;

class FacilityTest {

    private static final FacilityId GENERAL = FacilityId.of("0b8a3f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b");
    private static final FacilityId OTHER = FacilityId.of("7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9");
    private static final Instant AT = Instant.parse("2025-03-01T09:00:00Z");

    private final InMemoryFacilityRegistry registry = new InMemoryFacilityRegistry();
    private AggregateTestFixture<Facility> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Facility.class);
        fixture.registerInjectableResource(registry);
    }

    @Test
    void registering_a_facility_adds_it_to_the_registry() {
        fixture.givenNoPriorActivity()
                .when(new RegisterFacility(GENERAL, "GEN", "General Hospital", FacilityType.HOSPITAL, 420, AT))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new FacilityRegistered(GENERAL, "GEN", "General Hospital", FacilityType.HOSPITAL, 420, AT));

        assertThat(registry.exists(GENERAL)).isTrue();
        assertThat(registry.get(GENERAL).code()).isEqualTo("GEN");
    }

    @Test
    void a_facility_without_beds_can_be_registered() {
        fixture.givenNoPriorActivity()
                .when(new RegisterFacility(GENERAL, "LAB-1", "Central Lab", FacilityType.LAB, null, AT))
                .expectEvents(new FacilityRegistered(GENERAL, "LAB-1", "Central Lab", FacilityType.LAB, null, AT));
    }

    @Test
    void registering_a_facility_with_a_code_already_in_use_is_refused() {
        registry.add(new FacilityRegistered(OTHER, "GEN", "Old General", FacilityType.HOSPITAL, 100, AT));

        fixture.givenNoPriorActivity()
                .when(new RegisterFacility(GENERAL, "GEN", "General Hospital", FacilityType.HOSPITAL, 420, AT))
                .expectException(refusedWith(ErrorCode.FACILITY_CODE_TAKEN, "Facility code 'GEN' is already in use"))
                .expectNoEvents();

        assertThat(registry.exists(GENERAL)).isFalse();
        assertThat(registry.size()).isEqualTo(1);
    }
}
