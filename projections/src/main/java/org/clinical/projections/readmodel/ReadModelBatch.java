package org.clinical.projections.readmodel;

import org.clinical.infra.tenant.Tenant;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The writes of one batch of events to one projection's read model, made when the batch commits: in the
 * order the handlers asked for them, consecutive runs of the same statement sent as one JDBC batch (one round
 * trip, rewritten into one multi-row insert by the driver). Handlers never read in the middle of a batch:
 * what needs the state of the read model is a {@link #then step} or a {@link Projection#finish} over the
 * {@link #touch touched} keys, run in order inside the same transaction as the token.
 *
 * <p>State a projection gathers over a batch lives on the batch ({@link #state}), and what must happen only
 * once the transaction committed is an {@link #afterCommit} action: in careful mode an event gets a batch of
 * its own ({@link #forOneEvent}), whose keys and actions join the whole batch's only when its savepoint was
 * released.
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
    private final Map<String, Object> state = new HashMap<>();
    private final List<Runnable> afterCommit = new ArrayList<>();

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

    /** The projection's state of this batch under {@code key}, made by {@code create} when first asked for. */
    @SuppressWarnings("unchecked")
    public <T> T state(String key, Supplier<T> create) {
        return (T) state.computeIfAbsent(key, k -> create.get());
    }

    /** The state under {@code key}, null when there is none. */
    @SuppressWarnings("unchecked")
    public <T> T state(String key) {
        return (T) state.get(key);
    }

    /** Runs once the transaction holding this batch's writes committed (never when they were rolled back). */
    public void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    /** {@code {s}} replaced by the schema. */
    public String sql(String sql) {
        return sql.replace("{s}", schema);
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    /** A batch of its own for one event, written to the same schema. */
    ReadModelBatch forOneEvent() {
        return new ReadModelBatch(tenant, schema, jdbc, replay);
    }

    /** The keys and after-commit actions of a one-event batch whose writes succeeded. */
    void absorb(ReadModelBatch event) {
        event.touched.forEach((kind, keys) -> touched.computeIfAbsent(kind, k -> new LinkedHashSet<>()).addAll(keys));
        afterCommit.addAll(event.afterCommit);
    }

    boolean isEmpty() {
        return steps.isEmpty() && touched.isEmpty() && state.isEmpty() && afterCommit.isEmpty();
    }

    void committed() {
        afterCommit.forEach(Runnable::run);
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
