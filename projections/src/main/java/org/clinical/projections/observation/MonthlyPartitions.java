package org.clinical.projections.observation;

import org.clinical.projections.readmodel.ReadModelBatch;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The monthly partitions of {@code observation}, made before the first row of a month is inserted (there is no
 * default partition). The months known to exist are cached per table, keyed by region and table OID rather than
 * its schema's name, so a generation whose schema was dropped and made again starts afresh; a month joins the
 * cache only once the transaction that made it committed (and, in careful mode, only when the event's
 * savepoint was kept).
 */
final class MonthlyPartitions {

    /** By region and table OID: OIDs are unique within one database only, and each region is a database. */
    private final Map<String, Set<YearMonth>> known = new ConcurrentHashMap<>();

    void ensure(ReadModelBatch batch, Set<YearMonth> months) {
        if (months.isEmpty()) {
            return;
        }
        Long table = batch.jdbc().queryForObject("select ?::regclass::oid::bigint", Long.class,
                batch.schema() + ".observation");
        Set<YearMonth> existing = known.computeIfAbsent(batch.tenant().region() + "/" + table,
                t -> ConcurrentHashMap.newKeySet());
        Set<YearMonth> made = new HashSet<>();
        for (YearMonth month : months) {
            if (!existing.contains(month)) {
                String partition = batch.schema() + "." + name(month);
                if (!batch.jdbc().queryForObject("select to_regclass(?) is not null", Boolean.class, partition)) {
                    batch.jdbc().execute(batch.sql("create table if not exists " + partition
                            + " partition of {s}.observation for values from ('" + start(month) + "') to ('"
                            + start(month.plusMonths(1)) + "')"));
                    withoutStatistics(batch, partition);
                }
                made.add(month);
            }
        }
        if (made.isEmpty()) {
            return;
        }
        batch.afterCommit(() -> existing.addAll(made));
    }

    /**
     * The columns the parent table keeps no planner statistics for (observations.sql) get none in the partition
     * either: PostgreSQL does not copy a column's statistics target to a partition made later, and analyzing the
     * parent computes each partition's own statistics with the partition's targets.
     */
    private static void withoutStatistics(ReadModelBatch batch, String partition) {
        List<String> columns = batch.jdbc().queryForList("select attname from pg_attribute where attrelid ="
                + " ?::regclass and attnum > 0 and not attisdropped and attstattarget = 0", String.class,
                batch.schema() + ".observation");
        if (!columns.isEmpty()) {
            batch.jdbc().execute("alter table " + partition + " " + columns.stream()
                    .map(c -> "alter column \"" + c.replace("\"", "\"\"") + "\" set statistics 0")
                    .collect(Collectors.joining(", ")));
        }
    }

    static String name(YearMonth month) {
        return "observation_%04d_%02d".formatted(month.getYear(), month.getMonthValue());
    }

    static YearMonth of(java.time.Instant at) {
        return YearMonth.from(at.atOffset(ZoneOffset.UTC));
    }

    private static String start(YearMonth month) {
        return month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC).toString();
    }
}
