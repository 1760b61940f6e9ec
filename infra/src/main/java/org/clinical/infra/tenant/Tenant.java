package org.clinical.infra.tenant;

import java.time.Instant;
import java.util.regex.Pattern;

/** A hospital organization: its id, its region (which database holds its data) and its own schema there. */
public record Tenant(String id, String name, String region, Instant createdAt) {

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{1,39}");

    /** The API's own path segments at {@code /api/v1/<x>}: a tenant with such an id could never be reached. */
    public static final java.util.Set<String> RESERVED_IDS = java.util.Set.of("tenants", "regions");

    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** Tenant ids never contain '_', so replacing '-' keeps schema names unique. */
    public static String schemaOf(String tenantId) {
        if (!isValidId(tenantId)) {
            throw new IllegalArgumentException("invalid tenant id: " + tenantId);
        }
        return "t_" + tenantId.replace('-', '_');
    }

    public String schema() {
        return schemaOf(id);
    }
}
