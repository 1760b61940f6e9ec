package org.clinical.infra.tenant;

import org.clinical.infra.region.Regions;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;

/**
 * Creates and migrates schemas with Flyway: {@code clinical_platform} in every region's database, and one
 * schema per tenant holding its event store, command-side tables and read models ({@code db/tenant}).
 */
public class TenantSchemas {

    public static final String PLATFORM_SCHEMA = "clinical_platform";

    private final Regions regions;

    public TenantSchemas(Regions regions) {
        this.regions = regions;
    }

    public void migratePlatform() {
        regions.names().forEach(region -> migrate(regions.region(region).dataSource(), PLATFORM_SCHEMA,
                "classpath:db/platform"));
    }

    public void migrateTenant(Tenant tenant) {
        migrate(regions.region(tenant.region()).dataSource(), tenant.schema(), "classpath:db/tenant");
    }

    private static void migrate(DataSource dataSource, String schema, String location) {
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .createSchemas(true)
                .locations(location)
                .placeholders(java.util.Map.of("schema", schema))
                .load()
                .migrate();
    }
}
