package org.clinical.query.cache;

import org.clinical.infra.region.Regions;
import org.clinical.infra.tenant.Tenant;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;

/**
 * The durable record of tenants whose cache eviction failed, in each region's
 * {@code clinical_platform.cache_stale_tenant}: it outlives the instance that failed, and every instance of
 * the region reads it. A mark is cleared only by the instance that raised the tenant's epoch after seeing
 * it, and only if no new failure marked the tenant again meanwhile.
 */
class StaleTenants {

    private static final String TABLE = "clinical_platform.cache_stale_tenant";

    private final Regions regions;

    StaleTenants(Regions regions) {
        this.regions = regions;
    }

    /** A tenant's mark as read: cleared only while it still has this many marks. */
    record Mark(String region, String tenantId, long marks) {
    }

    /** Records that the tenant's cached reads may be stale; in a transaction of its own, committed on return. */
    void mark(Tenant tenant) {
        Regions.Region region = regions.region(tenant.region());
        TransactionTemplate transaction = new TransactionTemplate(region.transactionManager());
        transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        transaction.executeWithoutResult(status -> region.jdbc().update("insert into " + TABLE
                + " (tenant_id, marks, marked_at) values (?, 1, now()) on conflict (tenant_id)"
                + " do update set marks = " + TABLE + ".marks + 1, marked_at = now()", tenant.id()));
    }

    /** Every mark of every region. */
    List<Mark> marks() {
        List<Mark> marks = new ArrayList<>();
        for (String name : regions.names()) {
            marks.addAll(regions.region(name).jdbc().query("select tenant_id, marks from " + TABLE,
                    (rs, row) -> new Mark(name, rs.getString(1), rs.getLong(2))));
        }
        return marks;
    }

    void clear(Mark mark) {
        regions.region(mark.region()).jdbc().update("delete from " + TABLE + " where tenant_id = ? and marks = ?",
                mark.tenantId(), mark.marks());
    }
}
