package org.clinical.platform.edges;

import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.clinical.platform.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A tenant id is claimed across regions first; a retry gets the first answer; a loser leaves nothing behind. */
class TenantCreationTest extends PlatformTest {

    @Test
    void a_retry_with_the_same_idempotency_key_answers_the_first_201() {
        String id = newId();
        Map<String, String> body = Map.of("id", id, "name", "Hospital", "region", "default");

        Api.Response first = api.post("/api/v1/tenants").token(ADMIN).header("Idempotency-Key", "create-" + id)
                .json(body).send();
        Api.Response retry = api.post("/api/v1/tenants").token(ADMIN).header("Idempotency-Key", "create-" + id)
                .json(body).send();
        Api.Response duplicate = api.post("/api/v1/tenants").token(ADMIN).json(body).send();

        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(retry.status()).as(retry.toString()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.header("X-Event-Position")).isEqualTo(first.header("X-Event-Position"));
        assertThat(retry.header("ETag")).isEqualTo(first.header("ETag"));
        assertProblem(duplicate, 409);
        assertThat(eventCount(id, "TenantCreated")).isEqualTo(1);
    }

    @Test
    void an_id_taken_in_one_region_is_refused_in_another_and_leaves_nothing_there() throws SQLException {
        String id = newId();
        assertThat(create(id, "default").status()).isEqualTo(201);

        Api.Response elsewhere = create(id, "eu");

        assertProblem(elsewhere, 409);
        assertThat(schemas(TestDatabase.connectEu(), id)).isZero();
        assertThat(registryRows(TestDatabase.connectEu(), id)).isZero();
        assertThat(api.get("/api/v1/tenants/" + id).token(ADMIN).send().body().get("region").asText())
                .isEqualTo("default");
    }

    @Test
    void of_two_concurrent_creates_in_two_regions_one_wins_and_the_loser_leaves_nothing() throws SQLException {
        for (int round = 0; round < 3; round++) {
            String id = newId();
            List<String> regions = List.of("default", "eu");

            AtomicInteger next = new AtomicInteger();

            List<Integer> statuses = concurrently(2, () -> create(id, regions.get(next.getAndIncrement())).status());

            assertThat(statuses).containsExactlyInAnyOrder(201, 409);
            long schemasTotal = schemas(TestDatabase.connect(), id) + schemas(TestDatabase.connectEu(), id);
            long rowsTotal = registryRows(TestDatabase.connect(), id) + registryRows(TestDatabase.connectEu(), id);
            assertThat(schemasTotal).as("schemas of " + id).isEqualTo(1);
            assertThat(rowsTotal).as("registry rows of " + id).isEqualTo(1);
            assertThat(queryLong("select count(*) from clinical_platform.tenant_claim where id = ?", id)).isEqualTo(1);
        }
    }

    @Test
    void a_tenant_registered_by_another_instance_is_served_here_from_its_first_request() throws SQLException {
        String id = newId();
        try (Connection c = TestDatabase.connect(); var insert = c.prepareStatement("insert into clinical_platform"
                + ".tenant (id, name, region, created_at) values (?, 'Elsewhere', 'default', now())")) {
            insert.setString(1, id);
            insert.executeUpdate();
        }

        Api.Response facilities = api.get("/api/v1/" + id + "/facilities").token(ADMIN).send();
        String facility = newFacility(id, "GEN");

        assertThat(facilities.status()).as(facilities.toString()).isEqualTo(200);
        assertThat(facility).isNotBlank();
        assertProblem(create(id, "default"), 409);
        assertProblem(api.get("/api/v1/" + newId() + "/facilities").token(ADMIN).send(), 404);
    }

    private Api.Response create(String id, String region) {
        return api.post("/api/v1/tenants").token(ADMIN)
                .json(Map.of("id", id, "name", "Hospital " + id, "region", region)).send();
    }

    private static String newId() {
        return "c" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private static long schemas(Connection connection, String id) throws SQLException {
        try (connection; var ps = connection.prepareStatement(
                "select count(*) from information_schema.schemata where schema_name = ?")) {
            ps.setString(1, "t_" + id);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long registryRows(Connection connection, String id) throws SQLException {
        try (connection; var ps = connection.prepareStatement(
                "select count(*) from clinical_platform.tenant where id = ?")) {
            ps.setString(1, id);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
