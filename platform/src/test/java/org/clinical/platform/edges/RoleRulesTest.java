package org.clinical.platform.edges;

import org.clinical.platform.read.AtPosition;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.clinical.platform.support.Tokens;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every method goes through the role rules; the facility list and the actuator have their own. */
class RoleRulesTest extends PlatformTest {

    private static final String NO_ROLE = Tokens.token("nobody", List.of(), List.of("*"));
    private static final String AUDITOR = Tokens.token("auditor-al", List.of("auditor"), List.of("*"));

    @Test
    void a_token_without_a_role_is_refused_whatever_the_method() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-1");
        String path = "/api/v1/" + tenant + "/patients/" + patient;

        for (String method : List.of("GET", "HEAD", "OPTIONS", "DELETE", "PATCH")) {
            Api.Response refused = api.call(method, path).token(NO_ROLE).send();
            assertThat(refused.status()).as(method + " " + refused).isEqualTo(403);
            assertThat(refused.header("ETag")).as(method).isNull();
        }
        assertThat(api.call("HEAD", "/api/v1/" + tenant + "/census").token(NO_ROLE).send().status()).isEqualTo(403);
        assertThat(api.call("HEAD", "/api/v1/" + tenant + "/no-such-thing").token(NO_ROLE).send().status())
                .isEqualTo(403);
        String head = Long.toString(queryLong("select max(global_index) from " + schema(tenant) + ".domain_event_entry"));
        assertThat(api.call("HEAD", path).token(CLINICIAN).header("X-Min-Position", head).send().status())
                .isEqualTo(200);
        assertThat(api.call("DELETE", path).token(ANALYST).send().status()).isEqualTo(403);
    }

    @Test
    void the_facility_list_is_for_admins_clinicians_and_analysts() {
        String tenant = newTenant();
        newFacility(tenant, "GEN");
        String facilities = "/api/v1/" + tenant + "/facilities";
        long head = queryLong("select max(global_index) from " + schema(tenant) + ".domain_event_entry");

        for (String token : List.of(ADMIN, CLINICIAN, ANALYST)) {
            Api.Response listed = AtPosition.get(api, facilities, token, head);
            assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
            assertThat(listed.body().get("items")).hasSize(1);
        }
        assertProblem(api.get(facilities).token(NO_ROLE).send(), 403);
        assertProblem(api.get(facilities).token(AUDITOR).send(), 403);
        assertThat(api.call("HEAD", facilities).token(NO_ROLE).send().status()).isEqualTo(403);
        assertProblem(api.post(facilities).token(CLINICIAN).json(Map.of("code", "X", "name", "X",
                "type", "clinic")).send(), 403);
    }

    @Test
    void actuator_endpoints_but_health_need_an_admin_token() {
        assertThat(api.get("/actuator/health").send().status()).isEqualTo(200);
        assertProblem(api.get("/actuator/prometheus").send(), 401);
        assertProblem(api.get("/actuator/info").send(), 401);
        assertProblem(api.get("/actuator").send(), 401);
        assertProblem(api.get("/actuator/prometheus").token(CLINICIAN).send(), 403);

        Api.Response info = api.get("/actuator/info").token(ADMIN).send();
        assertThat(info.status()).as(info.toString()).isEqualTo(200);
        assertThat(api.get("/actuator/prometheus").token(ADMIN).send().status()).isNotIn(401, 403);
        assertThat(api.get("/v3/api-docs").send().status()).isEqualTo(200);
    }

    /**
     * The rules match paths as Spring MVC maps them: a trailing slash or a case change neither escapes a rule nor
     * reaches a handler that the rule would have refused.
     */
    @Test
    void paths_match_the_rules_as_they_match_the_handlers() {
        String tenant = newTenant();
        assertProblem(api.get("/api/v1/" + tenant + "/audit/events/").token(CLINICIAN).send(), 403);
        assertProblem(api.get("/api/v1/" + tenant + "/audit/").token(CLINICIAN).send(), 403);
        assertProblem(api.get("/api/v1/" + tenant + "/projections/").token(CLINICIAN).send(), 403);
        assertProblem(api.get("/api/v1/" + tenant + "/AUDIT/events").token(CLINICIAN).send(), 404);
        assertProblem(api.get("/api/v1/" + tenant + "/census/").token(NO_ROLE).send(), 403);
        assertProblem(api.get("/api/v1/" + tenant + "/census/").send(), 401);
    }
}
