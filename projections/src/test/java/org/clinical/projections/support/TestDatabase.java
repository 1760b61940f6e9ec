package org.clinical.projections.support;

import org.clinical.infra.config.ClinicalProperties;
import org.clinical.infra.region.Regions;
import org.clinical.infra.testing.TestRunId;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * This test run's own database on the machine's PostgreSQL, {@code clinical_test_<run>_<random>}: made by
 * {@link Regions} as the platform makes its configured database, and dropped with its tenants' analyst roles
 * (which belong to the cluster) when the JVM ends. The run id is the one platform's {@code TestRun} gives,
 * {@code <host>_<pid>_<start>}, so platform's clean-up of runs that were killed removes this module's leftovers too.
 */
public final class TestDatabase {

    private static final String HOST_URL =
            System.getProperty("clinical.test.pg", "jdbc:postgresql://127.0.0.1:5432/");
    private static final String USER = System.getProperty("clinical.test.pg-user", "postgres");
    static final String NAME = "clinical_test_" + TestRunId.ID + "_"
            + UUID.randomUUID().toString().replace("-", "").substring(0, 6);

    /** The run's one region, {@code default}, with small pools: tests handle one batch at a time. */
    static final Regions REGIONS = new Regions(new ClinicalProperties(
            new ClinicalProperties.Database(HOST_URL + NAME, USER, null), Map.of(),
            new ClinicalProperties.Pool(4, 1), new ClinicalProperties.Idempotency(Duration.ofHours(48)),
            new ClinicalProperties.Query(Duration.ofSeconds(5), Duration.ofSeconds(2)),
            new ClinicalProperties.Projections(Duration.ofMillis(10))));

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::drop, "drop-test-database"));
    }

    private TestDatabase() {
    }

    private static void drop() {
        List<String> roles = new ArrayList<>();
        try {
            roles.addAll(REGIONS.region(ClinicalProperties.DEFAULT_REGION).jdbc().queryForList(
                    "select 'clinical_analyst_' || substr(nspname, 3) from pg_namespace where nspname like 'a\\_%'",
                    String.class));
        } catch (RuntimeException e) {
            System.err.println("could not list the analyst roles of " + NAME + ": " + e.getMessage());
        } finally {
            REGIONS.close();
        }
        try (Connection c = DriverManager.getConnection(HOST_URL + "postgres", USER, null);
             var st = c.createStatement()) {
            st.execute("drop database if exists " + NAME + " with (force)");
            for (String role : roles) {
                st.execute("drop role if exists " + role);
            }
        } catch (SQLException e) {
            System.err.println("could not drop test database " + NAME + ": " + e.getMessage());
        }
    }
}
