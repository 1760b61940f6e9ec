package org.clinical.query.audit;

import org.clinical.infra.region.Regions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The access log's monthly partitions in every region: the current month's and the next {@code months-ahead}
 * are made in advance, and a month whose whole partition is older than the retention is dropped (the only way
 * entries ever leave). Runs at start-up and every {@code clinical.audit.access-log.maintenance} on every
 * instance; the database functions take an advisory lock, so instances never race. The DDL waits at most
 * {@link #LOCK_TIMEOUT} for its locks (a long auditor query holds the table), and gives up until the next run
 * rather than hold the writers' inserts in the lock queue behind it.
 */
public class AccessLogPartitions {

    private static final Logger log = LoggerFactory.getLogger(AccessLogPartitions.class);
    static final String LOCK_TIMEOUT = "500ms";

    private final Regions regions;
    private final Clock clock;
    private final Period retention;
    private final int monthsAhead;

    public AccessLogPartitions(Regions regions, Clock clock, Period retention, int monthsAhead) {
        this.regions = regions;
        this.clock = clock;
        this.retention = retention;
        this.monthsAhead = monthsAhead;
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "${clinical.audit.access-log.maintenance:PT1H}")
    void maintain() {
        Instant now = clock.instant();
        for (String region : regions.names()) {
            try {
                makeAhead(region, now);
                List<String> dropped = dropExpired(region, now);
                if (!dropped.isEmpty()) {
                    log.info("Dropped access-log partitions {} of region {}: past the retention of {}", dropped,
                            region, retention);
                }
            } catch (DataAccessException e) {
                log.warn("Access-log partitions of region {} not maintained this time ({}); writers create a"
                        + " missing month's partition themselves", region, e.getClass().getSimpleName());
            }
        }
    }

    /** The partitions of the month of {@code now} and the {@code months-ahead} after it; answers their names. */
    public List<String> makeAhead(String region, Instant now) {
        ZonedDateTime month = now.atZone(ZoneOffset.UTC).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS);
        List<String> names = new ArrayList<>();
        for (int i = 0; i <= monthsAhead; i++) {
            Instant first = month.plusMonths(i).toInstant();
            names.add(inTransaction(region, "select clinical_platform.access_log_partition(?)",
                    java.sql.Timestamp.from(first)).get(0));
        }
        return names;
    }

    /** Drops the partitions whose whole month ended before {@code now} minus the retention; answers their names. */
    public List<String> dropExpired(String region, Instant now) {
        Instant cutoff = now.atZone(ZoneOffset.UTC).minus(retention).toInstant();
        return inTransaction(region, "select clinical_platform.access_log_drop_before(?)",
                java.sql.Timestamp.from(cutoff));
    }

    private List<String> inTransaction(String region, String sql, Object argument) {
        Regions.Region r = regions.region(region);
        return new TransactionTemplate(r.transactionManager()).execute(status -> {
            r.jdbc().execute("set local lock_timeout = '" + LOCK_TIMEOUT + "'");
            return r.jdbc().queryForList(sql, String.class, argument);
        });
    }
}
