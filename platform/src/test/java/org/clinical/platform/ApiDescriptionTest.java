package org.clinical.platform;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated OpenAPI description is public and names every command endpoint of the contract. */
class ApiDescriptionTest extends PlatformTest {

    @Test
    void the_openapi_description_lists_the_command_endpoints() {
        Api.Response description = api.get("/v3/api-docs").send();

        assertThat(description.status()).isEqualTo(200);
        JsonNode paths = description.body().get("paths");
        assertThat(paths.has("/api/v1/tenants")).isTrue();
        assertThat(paths.get("/api/v1/{tenant}/facilities").has("get")).isTrue();
        assertThat(paths.get("/api/v1/{tenant}/patients").has("post")).isTrue();
        assertThat(paths.get("/api/v1/{tenant}/patients/{id}/demographics").has("put")).isTrue();
        assertThat(paths.has("/api/v1/{tenant}/encounters/{id}/discharge")).isTrue();
        assertThat(paths.has("/api/v1/{tenant}/observations/batch")).isTrue();
        assertThat(paths.has("/api/v1/{tenant}/observations/{id}/entered-in-error")).isTrue();
        assertThat(description.body().at("/components/securitySchemes/bearer-jwt/scheme").asText())
                .isEqualTo("bearer");
    }
}
