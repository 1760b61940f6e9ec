package org.clinical.infra.tenant;

import org.clinical.infra.config.ClinicalProperties;
import org.clinical.infra.region.Regions;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.function.Supplier;

/**
 * Claims a tenant id across every region before anything of the tenant is made, in one place all instances
 * of all regions agree on: {@code clinical_platform.tenant_claim} of the default region's database (the one
 * database every instance is configured with). The claim is inserted in a transaction that stays open while
 * the tenant is created and commits only after its {@code TenantCreated} is stored: a concurrent create of the
 * same id, in any region, waits on the claim's row (at most the lock timeout) and then finds it taken; a
 * failed creation rolls the claim back, so the id is free again.
 */
public class TenantClaims {

    private final Regions regions;

    public TenantClaims(Regions regions) {
        this.regions = regions;
    }

    /**
     * Runs {@code create} while holding a new claim on the id, and commits the claim once it has succeeded; an
     * exception from {@code create} rolls the claim back. When the id is already claimed, {@code create} does not
     * run and the answer is not {@link Claimed#made()}.
     */
    public <T> Claimed<T> claimWhile(Tenant tenant, Supplier<T> create) {
        var home = regions.region(ClinicalProperties.DEFAULT_REGION);
        return new TransactionTemplate(home.transactionManager()).execute(tx -> {
            int claimed = home.jdbc().update("insert into clinical_platform.tenant_claim (id, region) values (?, ?)"
                    + " on conflict (id) do nothing", tenant.id(), tenant.region());
            return claimed == 1 ? new Claimed<>(true, create.get()) : new Claimed<T>(false, null);
        });
    }

    /** @param value what {@code create} answered, when the claim was made */
    public record Claimed<T>(boolean made, T value) {
    }
}
