package org.clinical.command.tenant;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.clinical.events.common.ErrorCode;
import org.clinical.events.tenant.CreateTenant;
import org.clinical.events.tenant.TenantEvent.TenantCreated;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinical.command.Refusals.refusedWith;

class TenantTest {

    private static final Instant CREATED_AT = Instant.parse("2025-03-01T08:00:00Z");

    private final InMemoryTenantCatalog catalog = new InMemoryTenantCatalog();
    private AggregateTestFixture<Tenant> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Tenant.class);
        fixture.registerInjectableResource(catalog);
    }

    @Test
    void creating_a_tenant_lists_it_in_the_catalog() {
        fixture.givenNoPriorActivity()
                .when(new CreateTenant("st-mary", "St Mary's", "eu-west", CREATED_AT))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new TenantCreated("st-mary", "St Mary's", "eu-west", CREATED_AT));

        assertThat(catalog.get("st-mary"))
                .isEqualTo(new InMemoryTenantCatalog.Entry("St Mary's", "eu-west", CREATED_AT));
    }

    @Test
    void creating_a_tenant_whose_id_is_taken_is_refused() {
        catalog.add("st-mary", "St Mary's", "eu-west", CREATED_AT);

        fixture.givenNoPriorActivity()
                .when(new CreateTenant("st-mary", "Another St Mary's", "us-east", CREATED_AT.plusSeconds(60)))
                .expectException(refusedWith(ErrorCode.TENANT_EXISTS, "Tenant 'st-mary' already exists"))
                .expectNoEvents();

        assertThat(catalog.get("st-mary").name()).isEqualTo("St Mary's");
        assertThat(catalog.size()).isEqualTo(1);
    }
}
