package org.clinical.platform;

import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.clinical.platform.support.Tokens;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TenantApiTest extends PlatformTest {

    @Test
    void a_created_tenant_is_readable_and_starts_its_own_event_stream() {
        String tenant = newTenant();

        Api.Response read = api.get("/api/v1/tenants/" + tenant).token(ADMIN).send();

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body().get("id").asText()).isEqualTo(tenant);
        assertThat(read.body().get("region").asText()).isEqualTo("default");
        assertThat(Instant.parse(read.body().get("createdAt").asText())).isBeforeOrEqualTo(Instant.now());
        assertThat(queryLong("select count(*) from t_" + tenant + ".domain_event_entry where payload_type = ?",
                "TenantCreated")).isEqualTo(1);
    }

    @Test
    void a_new_tenant_takes_commands_at_once_without_a_restart() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "GEN");
        String patient = newPatient(tenant, "MRN-1");

        assertThat(newEncounter(tenant, patient, facility, "AMB")).isNotBlank();
        assertThat(eventCount(tenant)).isEqualTo(4);
    }

    @Test
    void creating_an_existing_tenant_is_a_conflict() {
        String tenant = newTenant();

        Api.Response again = api.post("/api/v1/tenants").token(ADMIN)
                .json(Map.of("id", tenant, "name", "Again", "region", "default")).send();

        assertProblem(again, 409);
        assertThat(eventCount(tenant)).isEqualTo(1);
    }

    @Test
    void invalid_tenant_ids_and_unknown_regions_are_refused_with_field_errors() {
        Api.Response badId = api.post("/api/v1/tenants").token(ADMIN)
                .json(Map.of("id", "Bad_Id", "name", "X", "region", "default")).send();
        Api.Response badRegion = api.post("/api/v1/tenants").token(ADMIN)
                .json(Map.of("id", "mars-general", "name", "X", "region", "mars")).send();

        assertProblem(badId, 400);
        assertThat(badId.body().get("errors").get(0).get("field").asText()).isEqualTo("id");
        assertProblem(badRegion, 400);
        assertThat(badRegion.body().get("errors").get(0).get("field").asText()).isEqualTo("region");
        assertThat(queryLong("select count(*) from clinical_platform.tenant where id = 'mars-general'")).isZero();
    }

    @Test
    void only_platform_admins_create_tenants() {
        String tenantAdmin = Tokens.token("local-admin", List.of("admin"), List.of("acme"));
        Map<String, String> body = Map.of("id", "acme-two", "name", "Acme", "region", "default");

        assertProblem(api.post("/api/v1/tenants").token(tenantAdmin).json(body).send(), 403);
        assertProblem(api.post("/api/v1/tenants").token(CLINICIAN).json(body).send(), 403);
        assertProblem(api.post("/api/v1/tenants").json(body).send(), 401);
    }

    @Test
    void forged_expired_and_missing_tokens_are_unauthorized() {
        String forged = Tokens.sign("another-secret-that-is-long-enough-to-sign!!", "eve", List.of("admin"),
                List.of("*"), List.of("*"), Instant.now().plusSeconds(600));
        String expired = Tokens.sign(Tokens.SECRET, "old", List.of("admin"), List.of("*"), List.of("*"),
                Instant.now().minusSeconds(600));
        String noExpiry = Tokens.sign(Tokens.SECRET, "forever", List.of("admin"), List.of("*"), List.of("*"), null);

        for (String token : List.of(forged, expired, noExpiry, "not-a-jwt")) {
            assertProblem(api.get("/api/v1/tenants/anything").token(token).send(), 401);
        }
        assertProblem(api.get("/api/v1/tenants/anything").send(), 401);
    }

    @Test
    void a_tenant_outside_the_token_is_answered_like_an_unknown_one() {
        String tenant = newTenant();
        String otherAdmin = Tokens.token("other-admin", List.of("admin"), List.of("someone-else"));

        assertProblem(api.get("/api/v1/tenants/" + tenant).token(otherAdmin).send(), 404);
        assertProblem(api.get("/api/v1/tenants/no-such-tenant").token(ADMIN).send(), 404);
        assertProblem(api.post("/api/v1/" + tenant + "/facilities").token(otherAdmin)
                .json(Map.of("code", "X", "name", "X", "type", "lab")).send(), 404);
    }

    @Test
    void health_needs_no_token_and_is_up_with_postgres_redis_and_kafka() {
        Api.Response health = api.get("/actuator/health").send();

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().get("status").asText()).isEqualTo("UP");
    }
}
