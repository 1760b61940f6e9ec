package org.clinical.platform.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

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
}
