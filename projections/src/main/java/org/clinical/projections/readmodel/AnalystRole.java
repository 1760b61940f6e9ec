package org.clinical.projections.readmodel;

import org.clinical.infra.tenant.Tenant;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The tenant's read-only database role for BI tools: it may use the tenant's analytics schema and select from
 * its views, nothing else. The views run with their owner's rights, so the role needs no right on the read
 * models themselves. It cannot log in: operators grant it to a login role of their own ({@code docs/analytics.md}).
 */
final class AnalystRole {

    private AnalystRole() {
    }

    static void ensure(JdbcTemplate jdbc, Tenant tenant) {
        String role = ReadModelSchemas.analystRole(tenant);
        jdbc.execute("do $$ begin create role " + role + " nologin; exception when duplicate_object then null; end $$");
        String analytics = ReadModelSchemas.analytics(tenant);
        jdbc.execute("create schema if not exists " + analytics);
        jdbc.execute("revoke all on schema " + analytics + " from public");
        jdbc.execute("grant usage on schema " + analytics + " to " + role);
    }
}
