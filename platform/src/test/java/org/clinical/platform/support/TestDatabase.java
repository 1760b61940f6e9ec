package org.clinical.platform.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One PostgreSQL database per test run ({@code clinical_test_<run>_<random>}, {@link TestRun#ID}), created by
 * the platform itself at start-up and dropped with its tenants' analyst roles when the JVM ends, so runs never
 * see each other's data. Before that, the first use removes what runs killed earlier left ({@link Leftovers}).
 */
public final class TestDatabase {

    public static final String HOST_URL = System.getProperty("clinical.test.pg", "jdbc:postgresql://127.0.0.1:5432/");
    public static final String USER = System.getProperty("clinical.test.pg-user", "postgres");
    public static final String NAME =
            "clinical_test_" + TestRun.ID + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 6);
    public static final String URL = HOST_URL + NAME;
    /** A second region's database, to show a tenant's data stays in its own region. */
    public static final String EU_NAME = NAME + "_eu";
    public static final String EU_URL = HOST_URL + EU_NAME;

    static {
        Leftovers.remove(HOST_URL, USER);
        TestRun.atExit(TestDatabase::drop);
    }

    private TestDatabase() {
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, USER, null);
    }

    public static Connection connectEu() throws SQLException {
        return DriverManager.getConnection(EU_URL, USER, null);
    }

    /** The analyst roles of the tenants in one of this run's databases. */
    private static List<String> analystRoles(String database) {
        try {
            return AnalystRoles.of(HOST_URL + database, USER);
        } catch (SQLException e) {
            return List.of(); // never created (no platform test ran); roles of a database gone go with the next run
        }
    }

    /** Runs after the platform has stopped (its processors release their claims through the database). */
    private static void drop() {
        List<String> roles = new ArrayList<>();
        roles.addAll(analystRoles(NAME));
        roles.addAll(analystRoles(EU_NAME));
        try (Connection c = DriverManager.getConnection(HOST_URL + "postgres", USER, null);
             var st = c.createStatement()) {
            st.execute("drop database if exists " + NAME + " with (force)");
            st.execute("drop database if exists " + EU_NAME + " with (force)");
            // Roles belong to the cluster, not the database: the analyst roles of this run's tenants go too.
            for (String role : roles) {
                st.execute("drop role if exists " + role);
            }
        } catch (SQLException e) {
            System.err.println("could not drop test database " + NAME + ": " + e.getMessage());
        }
    }
}
