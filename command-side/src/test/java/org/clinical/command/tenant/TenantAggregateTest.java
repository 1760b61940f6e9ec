package org.clinical.command.tenant;

import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.clinical.events.common.ErrorCode;
import org.clinical.events.tenant.CreateTenant;
import org.clinical.events.tenant.TenantEvent.TenantCreated;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinical.command.Refusals.refusedWith;

class TenantAggregateTest {

    private static final Instant CREATED_AT = Instant.parse("2025-03-01T08:00:00Z");

    private final InMemoryTenantRegistration registry = new InMemoryTenantRegistration();
    private AggregateTestFixture<TenantAggregate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(TenantAggregate.class);
        fixture.registerInjectableResource(registry);
    }

    @Test
    void creating_a_tenant_lists_it_in_the_catalog() {
        fixture.givenNoPriorActivity()
                .when(new CreateTenant("st-mary", "St Mary's", "eu-west", CREATED_AT))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new TenantCreated("st-mary", "St Mary's", "eu-west", CREATED_AT));

        assertThat(registry.get("st-mary"))
                .isEqualTo(new InMemoryTenantRegistration.Entry("St Mary's", "eu-west", CREATED_AT));
    }

    @Test
    void creating_a_tenant_whose_id_is_taken_is_refused() {
        registry.register("st-mary", "St Mary's", "eu-west", CREATED_AT);

        fixture.givenNoPriorActivity()
                .when(new CreateTenant("st-mary", "Another St Mary's", "us-east", CREATED_AT.plusSeconds(60)))
                .expectException(refusedWith(ErrorCode.TENANT_EXISTS, "Tenant 'st-mary' already exists"))
                .expectNoEvents();

        assertThat(registry.get("st-mary").name()).isEqualTo("St Mary's");
        assertThat(registry.size()).isEqualTo(1);
    }

    @Test
    void its_events_are_stored_under_the_aggregate_type_they_always_had() {
        assertThat(AnnotatedAggregateMetaModelFactory.inspectAggregate(TenantAggregate.class).type())
                .isEqualTo("Tenant");
    }
}
