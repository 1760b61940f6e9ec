package org.clinical.projections.readmodel;

import org.clinical.infra.tenant.Tenant;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One read of a tenant's read models, as the query side hands it to a slice's queries: JDBC on the region's
 * query pool (read-only, statement timeout), and the live schema of each projection the read uses, named in
 * SQL as {@code {patients}}, {@code {encounters}}... A query naming a projection the read does not use fails:
 * the read waited for the {@code X-Min-Position} of its projections only.
 */
public record Read(Tenant tenant, JdbcTemplate jdbc, Map<String, String> schemas) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z][a-z0-9]*)}");

    /** The SQL with each {@code {projection}} replaced by its live schema. */
    public String sql(String sql) {
        Matcher m = PLACEHOLDER.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String schema = schemas.get(m.group(1));
            if (schema == null) {
                throw new IllegalArgumentException("read does not use projection " + m.group(1));
            }
            m.appendReplacement(out, schema);
        }
        m.appendTail(out);
        return out.toString();
    }
}
