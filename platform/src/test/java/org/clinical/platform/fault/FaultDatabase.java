package org.clinical.platform.fault;

import org.clinical.platform.support.AnalystRoles;
import org.clinical.platform.support.Leftovers;
import org.clinical.platform.support.TestRun;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * One PostgreSQL database per fault test, {@code clinical_fault_<run>_<random>} ({@link TestRun#ID}): created by
 * the platform under test at its start-up, dropped with its tenants' analyst roles when the test ends, failed or
 * not. What runs killed before they could drop theirs left is removed by the first {@link #create} of a run
 * ({@link Leftovers}).
 */
final class FaultDatabase {

    static final String HOST_URL = System.getProperty("clinical.test.pg", "jdbc:postgresql://127.0.0.1:5432/");
    static final String USER = System.getProperty("clinical.test.pg-user", "postgres");

    final String name;

    private FaultDatabase(String name) {
        this.name = name;
    }

    /** A new name (the database itself is created by the platform); removes leftovers of killed runs first. */
    static FaultDatabase create() {
        Leftovers.remove(HOST_URL, USER);
        return new FaultDatabase("clinical_fault_" + TestRun.ID + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 8));
    }

    String url() {
        return HOST_URL + name;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, null);
    }

    long queryLong(String sql, Object... args) {
        try (Connection c = connect(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Terminates every connection to this database but the caller's; answers how many were terminated. */
    int terminateConnections() throws SQLException {
        try (Connection c = DriverManager.getConnection(HOST_URL + "postgres", USER, null);
             var ps = c.prepareStatement("select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity"
                     + " where datname = ? and pid <> pg_backend_pid()")) {
            ps.setString(1, name);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    void drop() {
        List<String> roles = analystRoles();
        try (Connection c = DriverManager.getConnection(HOST_URL + "postgres", USER, null);
             var st = c.createStatement()) {
            st.execute("drop database if exists " + name + " with (force)");
            for (String role : roles) {
                st.execute("drop role if exists " + role);
            }
        } catch (SQLException e) {
            System.err.println("could not drop fault test database " + name + ": " + e.getMessage());
        }
    }

    private List<String> analystRoles() {
        try {
            return AnalystRoles.of(url(), USER);
        } catch (SQLException e) {
            return List.of(); // no such database (never created), nothing to drop
        }
    }
}
