package org.clinical.infra.region;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.clinical.infra.config.ClinicalProperties;
import org.clinical.infra.config.ClinicalProperties.Database;
import org.clinical.infra.config.ClinicalProperties.Pool;
import org.clinical.infra.config.ClinicalProperties.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The one place that knows which PostgreSQL database holds a region: a tenant's events and read models
 * live in its region's database and nowhere else. Each region has its own pool and transaction manager.
 */
public class Regions implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Regions.class);

    /**
     * How long a transaction of the command pool may stay open is bounded, which the event stores' gap
     * timeout relies on ({@code TenantEventStores}): no statement runs longer than {@link #STATEMENT_TIMEOUT}, no
     * transaction sits idle longer than {@link #IDLE_IN_TRANSACTION_TIMEOUT} (PostgreSQL then ends the session and
     * the transaction rolls back: it can never commit late), and no request waits on a row or advisory lock for
     * more than 5 s (it answers 409 and may retry).
     */
    public static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration IDLE_IN_TRANSACTION_TIMEOUT = Duration.ofSeconds(60);
    private static final String COMMAND_SESSION = "set lock_timeout = '5s'; set statement_timeout = '"
            + STATEMENT_TIMEOUT.toSeconds() + "s'; set idle_in_transaction_session_timeout = '"
            + IDLE_IN_TRANSACTION_TIMEOUT.toSeconds() + "s'";

    private final Map<String, Region> regions = new LinkedHashMap<>();

    public Regions(ClinicalProperties properties) {
        Map<String, Database> databases = new LinkedHashMap<>();
        databases.put(ClinicalProperties.DEFAULT_REGION, properties.db());
        databases.putAll(properties.regions());
        databases.forEach((name, db) -> regions.put(name, open(name, db, properties.pool(), properties.query())));
    }

    public Region region(String name) {
        Region region = regions.get(name);
        if (region == null) {
            throw new IllegalArgumentException("unknown region '" + name + "'");
        }
        return region;
    }

    public boolean exists(String name) {
        return regions.containsKey(name);
    }

    public Set<String> names() {
        return regions.keySet();
    }

    @Override
    public void close() {
        regions.values().forEach(r -> {
            r.dataSource().close();
            ((HikariDataSource) r.queryJdbc().getDataSource()).close();
        });
    }

    private static Region open(String name, Database db, Pool pool, Query query) {
        createDatabaseIfMissing(db);
        HikariConfig config = config(db, "region-" + name, pool.commandConnections());
        config.setConnectionInitSql(COMMAND_SESSION);
        HikariDataSource dataSource = new HikariDataSource(config);
        return new Region(name, dataSource, new DataSourceTransactionManager(dataSource), new JdbcTemplate(dataSource),
                queryJdbc(db, name, pool, query));
    }

    /** Reads get their own read-only pool, and no statement of theirs runs longer than the query timeout. */
    private static JdbcTemplate queryJdbc(Database db, String name, Pool pool, Query query) {
        HikariConfig config = config(db, "query-" + name, pool.queryConnections());
        config.setReadOnly(true);
        config.setConnectionTimeout(Math.max(250, query.timeout().toMillis()));
        config.setConnectionInitSql("set statement_timeout = " + query.timeout().toMillis());
        JdbcTemplate jdbc = new JdbcTemplate(new HikariDataSource(config));
        jdbc.setQueryTimeout((int) Math.max(1, query.timeout().toSeconds()));
        return jdbc;
    }

    private static HikariConfig config(Database db, String poolName, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(db.url());
        config.setUsername(db.userOrOsUser());
        config.setPassword(db.password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(4, size));
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("ApplicationName", "clinical-platform");
        // A server error's DETAIL ("Key (mrn)=(...)", "Failing row contains (...)") and a failed batch entry's
        // statement with its parameters hold PHI: they stay out of exception messages, and so out of logs.
        config.addDataSourceProperty("logServerErrorDetail", "false");
        return config;
    }

    /** The contract says the configured database is created when it does not exist. */
    private static void createDatabaseIfMissing(Database db) {
        PostgresUrl url = PostgresUrl.parse(db.url());
        try (Connection c = DriverManager.getConnection(url.withDatabase("postgres"), db.userOrOsUser(),
                db.password())) {
            try (var ps = c.prepareStatement("select 1 from pg_database where datname = ?")) {
                ps.setString(1, url.database());
                if (ps.executeQuery().next()) {
                    return;
                }
            }
            try (var st = c.createStatement()) {
                st.execute("create database \"" + url.database().replace("\"", "\"\"") + "\"");
                log.info("Created database {}", url.database());
            } catch (SQLException e) {
                if (!"42P04".equals(e.getSQLState())) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach or create database " + url.database() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * @param jdbc      JDBC on the region's pool, joining whatever transaction is bound to the calling thread
     * @param queryJdbc JDBC on the region's read-only query pool, with the query timeout
     */
    public record Region(String name, HikariDataSource dataSource, PlatformTransactionManager transactionManager,
                         JdbcTemplate jdbc, JdbcTemplate queryJdbc) {
    }
}
