package org.clinical.projections.readmodel;

import org.clinical.infra.tenant.Tenant;

/**
 * The names of a tenant's read side in its region's database: a schema per generation of each projection, the
 * analytics schema of stable views over the live generations, and the analysts' role. Tenant ids never contain
 * '_', so replacing '-' keeps every name unique to its tenant.
 */
public final class ReadModelSchemas {

    private ReadModelSchemas() {
    }

    /**
     * The schema holding one generation of a projection's read model: {@code r_acme__patients_1}. Projection
     * names hold no "__", so the name splits back uniquely from the right.
     */
    public static String generation(Tenant tenant, String projection, int generation) {
        return "r_" + part(tenant) + "__" + projection + "_" + generation;
    }

    /** The schema of the stable views analysts query: {@code a_acme}. */
    public static String analytics(Tenant tenant) {
        return "a_" + part(tenant);
    }

    /** The read-only database role that may read the {@link #analytics} schema and nothing else. */
    static String analystRole(Tenant tenant) {
        return "clinical_analyst_" + part(tenant);
    }

    private static String part(Tenant tenant) {
        return tenant.id().replace('-', '_');
    }
}
