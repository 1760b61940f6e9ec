package org.clinical.platform.fault;

import org.clinical.platform.support.AnalystRoles;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One PostgreSQL database per fault test, {@code clinical_fault_<seconds>_<random>}: created by the platform
 * under test at its start-up, dropped with its tenants' analyst roles when the test ends, failed or not.
 * Databases of earlier runs that were killed before they could drop theirs are dropped by {@link #create}
 * once they are an hour old and nobody is connected to them (another run's are younger or in use).
 */
final class FaultDatabase {

    static final String HOST_URL = System.getProperty("clinical.test.pg", "jdbc:postgresql://127.0.0.1:5432/");
    static final String USER = System.getProperty("clinical.test.pg-user", "postgres");
    private static final String PREFIX = "clinical_fault_";
    private static final Duration LEFTOVER_AGE = Duration.ofHours(1);

    final String name;

    private FaultDatabase(String name) {
        this.name = name;
    }

    /** A new name (the database itself is created by the platform); drops leftovers of killed runs first. */
    static FaultDatabase create() {
        dropLeftovers();
        return new FaultDatabase(PREFIX + Instant.now().getEpochSecond() + "_"
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
        drop(name);
    }

    private static void drop(String database) {
        List<String> roles = analystRoles(database);
        try (Connection c = DriverManager.getConnection(HOST_URL + "postgres", USER, null);
             var st = c.createStatement()) {
            st.execute("drop database if exists " + database + " with (force)");
            for (String role : roles) {
                st.execute("drop role if exists " + role);
            }
        } catch (SQLException e) {
            System.err.println("could not drop fault test database " + database + ": " + e.getMessage());
        }
    }

    private static List<String> analystRoles(String database) {
        try {
            return AnalystRoles.of(HOST_URL + database, USER);
        } catch (SQLException e) {
            return List.of(); // no such database (never created), nothing to drop
        }
    }

    private static void dropLeftovers() {
        long oldest = Instant.now().minus(LEFTOVER_AGE).getEpochSecond();
        List<String> leftovers = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(HOST_URL + "postgres", USER, null);
             var ps = c.prepareStatement("select datname from pg_database d where datname like 'clinical\\_fault\\_%'"
                     + " and not exists (select 1 from pg_stat_activity a where a.datname = d.datname)");
             var rs = ps.executeQuery()) {
            while (rs.next()) {
                leftovers.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach PostgreSQL at " + HOST_URL, e);
        }
        for (String database : leftovers) {
            String[] parts = database.substring(PREFIX.length()).split("_");
            if (parts.length == 2 && parts[0].matches("\\d+") && Long.parseLong(parts[0]) < oldest) {
                drop(database);
            }
        }
    }
}
