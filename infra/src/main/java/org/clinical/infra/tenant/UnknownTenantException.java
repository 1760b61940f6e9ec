package org.clinical.infra.tenant;

/** No such tenant on this platform (answered as 404, like a tenant the caller may not see). */
public class UnknownTenantException extends RuntimeException {

    public UnknownTenantException(String tenantId) {
        super("no tenant '" + tenantId + "'", null, false, false);
    }
}
