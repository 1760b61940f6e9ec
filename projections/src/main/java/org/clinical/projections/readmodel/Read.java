package org.clinical.projections.readmodel;

import org.clinical.infra.tenant.Tenant;
import org.clinical.infra.web.NotFoundException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Map;
import java.util.UUID;
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

    /**
     * 404 for a patient the tenant never registered. Registration is a fact of the write side, committed
     * with its event: never behind the read models.
     */
    public void requireRegisteredPatient(UUID patientId) {
        Boolean registered = jdbc.queryForObject("select exists (select 1 from " + tenant.schema()
                + ".patient_registry where patient_id = ?)", Boolean.class, patientId);
        if (!Boolean.TRUE.equals(registered)) {
            throw new NotFoundException("No patient " + patientId);
        }
    }

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
