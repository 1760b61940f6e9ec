package org.clinical.query.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.time.Period;

/**
 * The PHI read-access log ({@link AccessLog}).
 *
 * @param retention     how long entries are kept: a month's partition is dropped once its whole month is older
 *                      (HIPAA asks for six years)
 * @param maxWait       the longest a read waits for its entries to be durable before it answers 503 instead
 * @param queueCapacity reads waiting to be written per region; beyond, reads answer 503 at once
 * @param writers       commits that may run at once per region, each on a connection of its own (led by the
 *                      reads themselves, {@link AccessLogWriter}): while one commits, another writes the next batch
 * @param batchSize     the most entries one writer commits at once
 * @param monthsAhead   how many months after the current one have their partition made in advance
 * @param maintenance   how often partitions are made ahead and expired ones dropped (also once at start-up)
 */
@ConfigurationProperties("clinical.audit.access-log")
public record AccessLogProperties(@DefaultValue("6y") Period retention, @DefaultValue("2s") Duration maxWait,
                                  @DefaultValue("10000") int queueCapacity, @DefaultValue("2") int writers,
                                  @DefaultValue("1000") int batchSize, @DefaultValue("2") int monthsAhead,
                                  @DefaultValue("1h") Duration maintenance) {
}
