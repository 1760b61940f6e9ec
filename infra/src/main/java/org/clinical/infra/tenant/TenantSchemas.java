package org.clinical.infra.tenant;

import com.zaxxer.hikari.HikariDataSource;
import org.clinical.infra.region.Regions;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;

/**
 * Creates and migrates schemas with Flyway: {@code clinical_platform} in every region's database, and one
 * schema per tenant holding its event store, command-side tables and read models ({@code db/tenant}).
 * Migrations run on connections of their own, outside the command pool: a migration may legitimately run
 * longer than the pool's statement and idle-in-transaction timeouts, and takes no connection from commands.
 */
public class TenantSchemas {

    public static final String PLATFORM_SCHEMA = "clinical_platform";

    private final Regions regions;

    public TenantSchemas(Regions regions) {
        this.regions = regions;
    }

    public void migratePlatform() {
        regions.names().forEach(region -> migrate(unpooled(regions.region(region).dataSource()), PLATFORM_SCHEMA,
                "classpath:db/platform"));
    }

    public void migrateTenant(Tenant tenant) {
        migrate(unpooled(regions.region(tenant.region()).dataSource()), tenant.schema(), "classpath:db/tenant");
    }

    /** The pool's database, user and driver settings, on plain connections without its session settings. */
    private static DataSource unpooled(HikariDataSource pool) {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(pool.getJdbcUrl(), pool.getUsername(),
                pool.getPassword());
        dataSource.setConnectionProperties(pool.getDataSourceProperties());
        return dataSource;
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
