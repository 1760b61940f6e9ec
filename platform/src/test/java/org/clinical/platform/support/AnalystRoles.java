package org.clinical.platform.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The analyst roles of the tenants in one test database (one analytics schema {@code a_<t>} each): they belong
 * to the cluster, not the database, so whoever drops a test database drops them too.
 */
public final class AnalystRoles {

    private AnalystRoles() {
    }

    public static List<String> of(String databaseUrl, String user) throws SQLException {
        List<String> roles = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(databaseUrl, user, null);
             var st = c.createStatement();
             var rs = st.executeQuery("select substr(nspname, 3) from pg_namespace where nspname like 'a\\_%'")) {
            while (rs.next()) {
                roles.add("clinical_analyst_" + rs.getString(1));
            }
        }
        return roles;
    }

    /**
     * The analyst roles (the platform's, which cannot log in) whose tenant no database of the cluster holds: no
     * database has its analytics schema, as when a test database was dropped without its roles. Every other
     * database's tenants keep theirs, the dev database's ({@code bin/run}) and other runs' included; when one
     * database cannot be looked into, its tenants are unknown and no role is an orphan.
     * <p>
     * The roles are listed before the databases: the platform makes a tenant's role and schema in one
     * transaction, so a role listed has its schema in a database listed after, however new.
     */
    static List<String> orphans(Connection cluster, String hostUrl, String user) throws SQLException {
        Set<String> orphans = new TreeSet<>(column(cluster, "select rolname from pg_roles"
                + " where rolname like 'clinical\\_analyst\\_%' and not rolcanlogin"));
        if (orphans.isEmpty()) {
            return List.of();
        }
        for (String database : column(cluster, "select datname from pg_database where datname <> 'template0'")) {
            try {
                orphans.removeAll(of(hostUrl + URLEncoder.encode(database, StandardCharsets.UTF_8), user));
            } catch (SQLException e) {
                if (!column(cluster, "select datname from pg_database where datname = ?", database).isEmpty()) {
                    System.err.println("not dropping analyst roles: cannot look into database " + database
                            + ": " + e.getMessage());
                    return List.of();
                }
                // dropped meanwhile, and its tenants with it
            }
        }
        return List.copyOf(orphans);
    }

    private static List<String> column(Connection c, String sql, String... args) throws SQLException {
        List<String> values = new ArrayList<>();
        try (var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
        }
        return values;
    }
}
