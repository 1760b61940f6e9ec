package org.clinical.platform;

import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.clinical.platform.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A tenant of the {@code eu} region has its schema, events and registry row in the eu database only. */
class RegionTest extends PlatformTest {

    @Test
    void a_tenant_of_another_region_lives_in_that_region_database_only() throws SQLException {
        String tenant = "eu" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        Api.Response created = api.post("/api/v1/tenants").token(ADMIN)
                .json(Map.of("id", tenant, "name", "Charité", "region", "eu")).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String facility = newFacility(tenant, "CCM");
        String patient = newPatient(tenant, "EU-1");
        newEncounter(tenant, patient, facility, "AMB");

        try (Connection eu = TestDatabase.connectEu(); Connection home = TestDatabase.connect()) {
            assertThat(count(eu, "select count(*) from t_" + tenant + ".domain_event_entry")).isEqualTo(4);
            assertThat(count(eu, "select count(*) from clinical_platform.tenant where id = '" + tenant + "'"))
                    .isEqualTo(1);
            assertThat(count(home, "select count(*) from information_schema.schemata where schema_name = 't_"
                    + tenant + "'")).isZero();
            assertThat(count(home, "select count(*) from clinical_platform.tenant where id = '" + tenant + "'"))
                    .isZero();
        }
        assertThat(api.get("/api/v1/tenants/" + tenant).token(ADMIN).send().body().get("region").asText())
                .isEqualTo("eu");
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (var rs = connection.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
