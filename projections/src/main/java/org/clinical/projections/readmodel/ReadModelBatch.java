package org.clinical.projections.readmodel;

import org.clinical.infra.tenant.Tenant;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The writes of one batch of events to one projection's read model, made when the batch commits: in the
 * order the handlers asked for them, consecutive runs of the same statement sent as one JDBC batch (one round
 * trip, rewritten into one multi-row insert by the driver). Handlers never read in the middle of a batch:
 * what needs the state of the read model is a {@link #then step} or a {@link Projection#finish} over the
 * {@link #touch touched} keys, run in order inside the same transaction as the token.
 *
 * <p>SQL names tables as {@code {s}.table}: {@code {s}} becomes the schema of the generation being written,
 * the live one or the one a rebuild fills.
 */
public final class ReadModelBatch {

    private final Tenant tenant;
    private final String schema;
    private final JdbcTemplate jdbc;
    private final boolean replay;
    private final List<Object> steps = new ArrayList<>();
    private final Map<String, Set<Object>> touched = new LinkedHashMap<>();

    ReadModelBatch(Tenant tenant, String schema, JdbcTemplate jdbc, boolean replay) {
        this.tenant = tenant;
        this.schema = schema;
        this.jdbc = jdbc;
        this.replay = replay;
    }

    public Tenant tenant() {
        return tenant;
    }

    /** The schema written: the live generation, or the one a rebuild fills. */
    public String schema() {
        return schema;
    }

    /** Whether this batch fills a generation being rebuilt (no caches to evict, nobody reads it yet). */
    public boolean replay() {
        return replay;
    }

    /** A statement, run at commit in order; {@code {s}} in it names the schema. */
    public void add(String sql, Object... args) {
        steps.add(new Statement(sql, args));
    }

    /** A step that needs JDBC itself (reads what earlier steps wrote), run at commit in order. */
    public void then(Consumer<JdbcTemplate> step) {
        steps.add(step);
    }

    /** Remembers a key this batch changed, e.g. a patient id, for {@link Projection#finish} and cache evictions. */
    public void touch(String kind, Object key) {
        touched.computeIfAbsent(kind, k -> new LinkedHashSet<>()).add(key);
    }

    @SuppressWarnings("unchecked")
    public <T> Set<T> touched(String kind) {
        return (Set<T>) touched.getOrDefault(kind, Set.of());
    }

    /** {@code {s}} replaced by the schema. */
    public String sql(String sql) {
        return sql.replace("{s}", schema);
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    @SuppressWarnings("unchecked")
    void flush() {
        int i = 0;
        while (i < steps.size()) {
            Object step = steps.get(i);
            if (step instanceof Statement statement) {
                List<Object[]> args = new ArrayList<>();
                int j = i;
                while (j < steps.size() && steps.get(j) instanceof Statement next && next.sql.equals(statement.sql)) {
                    args.add(next.args);
                    j++;
                }
                if (args.size() == 1) {
                    jdbc.update(sql(statement.sql), args.get(0));
                } else {
                    jdbc.batchUpdate(sql(statement.sql), args);
                }
                i = j;
            } else {
                ((Consumer<JdbcTemplate>) step).accept(jdbc);
                i++;
            }
        }
        steps.clear();
    }

    private record Statement(String sql, Object[] args) {
    }
}
