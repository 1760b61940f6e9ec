package org.clinical.infra.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Map;

/**
 * The platform's settings ({@code clinical.*}, or the {@code CLINICAL_*} environment variables).
 *
 * @param db          the {@code default} region's database
 * @param regions     further regions, each with its own database: a tenant's data lives only there
 * @param pool        connection pool sizes
 * @param idempotency how long {@code Idempotency-Key}s are kept
 * @param query       limits of the read side
 * @param projections how the projections read the event stores
 */
@ConfigurationProperties(prefix = "clinical")
public record ClinicalProperties(@DefaultValue Database db, Map<String, Database> regions, @DefaultValue Pool pool,
                                 @DefaultValue Idempotency idempotency, @DefaultValue Query query,
                                 @DefaultValue Projections projections) {

    public static final String DEFAULT_REGION = "default";

    public ClinicalProperties {
        regions = regions == null ? Map.of() : Map.copyOf(regions);
    }

    public record Database(@DefaultValue("jdbc:postgresql://127.0.0.1:5432/clinical") String url, String user,
                           String password) {

        public String userOrOsUser() {
            return user == null || user.isBlank() ? System.getProperty("user.name") : user;
        }
    }

    /**
     * @param commandConnections per region, for commands and projections
     * @param queryConnections   per region, a separate pool for reads: heavy queries cannot starve commands
     */
    public record Pool(@DefaultValue("24") int commandConnections, @DefaultValue("16") int queryConnections) {
    }

    /**
     * @param timeout         no read statement runs longer (PostgreSQL {@code statement_timeout})
     * @param minPositionWait how long a read with {@code X-Min-Position} waits for the projections
     */
    public record Query(@DefaultValue("5s") Duration timeout, @DefaultValue("2s") Duration minPositionWait) {
    }

    public record Idempotency(@DefaultValue("48h") Duration retention) {
    }

    /**
     * @param linger after a processor has read up to the newest event, how long its next read waits: the commits
     *               of that time are projected together, in one batch, instead of one wake-up and one
     *               transaction each (zero: every commit wakes every processor at once)
     */
    public record Projections(@DefaultValue("10ms") Duration linger) {

        public Projections {
            if (linger.isNegative() || linger.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("clinical.projections.linger must be between 0 and 1s, not "
                        + linger);
            }
        }
    }
}
