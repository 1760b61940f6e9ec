package org.clinical.platform.edges;

import org.clinical.platform.support.PlatformTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Tenant ids that are the API's own paths at /api/v1/<x> are refused: such a tenant could never be reached. */
class ReservedTenantIdTest extends PlatformTest {

    @Test
    void tenants_and_regions_are_reserved_ids() {
        for (String id : new String[]{"tenants", "regions"}) {
            var refused = api.post("/api/v1/tenants").token(ADMIN)
                    .json(Map.of("id", id, "name", "Hospital", "region", "default")).send();

            assertBadParameter(refused, "id");
            assertThat(refused.body().at("/errors/0/message").asText()).contains("reserved");
            assertThat(queryLong("select count(*) from information_schema.schemata where schema_name = ?",
                    "t_" + id)).isZero();
        }
    }
}
