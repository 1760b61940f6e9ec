package org.clinical.platform.contract;

import org.clinical.platform.support.PlatformTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract table and the controllers agree: every mapping under {@code /api} has its row in
 * {@link ContractTable} (a new endpoint without one fails the build), and every row has its mapping: every endpoint
 * of the contract is built and in the table.
 */
class ContractCoverageTest extends PlatformTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    @Test
    void every_controller_mapping_under_api_has_its_row_in_the_contract_table_and_every_row_its_mapping() {
        Set<String> mapped = new TreeSet<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            for (String path : info.getPatternValues()) {
                if (path.startsWith("/api/")) {
                    assertThat(info.getMethodsCondition().getMethods()).as("%s names its method", path).hasSize(1);
                    info.getMethodsCondition().getMethods().forEach(m -> mapped.add(m.name() + " " + normalized(path)));
                }
            }
        }

        assertThat(mapped).as("controller mappings under /api").isEqualTo(tableEndpoints());
    }

    @Test
    void the_table_has_one_row_per_endpoint_and_a_fixture_for_each() {
        assertThat(ContractTable.ROWS.stream().map(Endpoint::toString).distinct()).hasSize(ContractTable.ROWS.size());
        assertThat(ContractTable.ROWS).allSatisfy(e -> {
            assertThat(e.fixture()).as("%s has a fixture", e).isNotNull();
            assertThat(e.roles()).as("%s names its roles", e).isNotEmpty();
        });
    }

    /** {@code METHOD path} of every row, path variables unnamed. */
    static Set<String> tableEndpoints() {
        return ContractTable.ROWS.stream().map(e -> e.method() + " " + normalized(e.path()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** {@code /api/v1/{tenant}/patients/{patientId}} as {@code /api/v1/{}/patients/{}}: names differ, places not. */
    static String normalized(String path) {
        return path.replaceAll("\\{[^}]+}", "{}");
    }
}
