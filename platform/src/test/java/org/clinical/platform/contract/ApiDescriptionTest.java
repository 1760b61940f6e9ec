package org.clinical.platform.contract;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated OpenAPI description is public and describes exactly the endpoints of the contract table, each
 * with its method and success status; nothing under {@code /api} is left out of either.
 */
class ApiDescriptionTest extends PlatformTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @Test
    void the_openapi_description_has_every_endpoint_of_the_contract_table_and_no_other() {
        Api.Response description = api.get("/v3/api-docs").send();
        assertThat(description.status()).isEqualTo(200);
        JsonNode paths = description.body().get("paths");

        Set<String> described = new TreeSet<>();
        paths.fieldNames().forEachRemaining(path -> paths.get(path).fieldNames().forEachRemaining(method -> {
            if (path.startsWith("/api/") && METHODS.contains(method)) {
                described.add(method.toUpperCase(Locale.ROOT) + " " + ContractCoverageTest.normalized(path));
            }
        }));
        assertThat(described).as("endpoints in /v3/api-docs").isEqualTo(ContractCoverageTest.tableEndpoints());

        for (Endpoint e : ContractTable.ROWS) {
            JsonNode operation = paths.properties().stream()
                    .filter(p -> ContractCoverageTest.normalized(p.getKey()).equals(ContractCoverageTest.normalized(e.path())))
                    .findFirst().orElseThrow().getValue().get(e.method().toLowerCase(Locale.ROOT));
            assertThat(operation.get("responses").has(Integer.toString(e.status())))
                    .as("%s documents its %d", e, e.status()).isTrue();
            assertThat(operation.get("summary").asText()).as("%s has a summary", e).isNotBlank();
        }
        assertThat(description.body().at("/components/securitySchemes/bearer-jwt/scheme").asText())
                .isEqualTo("bearer");
        assertThat(description.body().at("/components/schemas/EventView/properties/payload/type").asText())
                .as("an event's payload is its JSON object, not a string").isEqualTo("object");
    }
}
