package org.clinical.projections.readmodel;

import org.clinical.infra.tenant.Tenant;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a projection writes one batch's state ({@link Projection#write}): statements queued and run in the
 * order they were queued, consecutive runs of the same statement sent as one JDBC batch (one round trip,
 * rewritten into one multi-row insert by the driver), or JDBC itself for what needs the state of the read
 * model, all in the transaction of the batch's token. It also gathers what to do once that transaction
 * committed: the patients whose cached reads are out of date, and {@link #afterCommit} actions. In careful
 * mode an event gets a batch of its own ({@link #forOneEvent}), whose patients and actions join the whole
 * batch's only when its savepoint was released.
 *
 * <p>SQL names tables as {@code {s}.table}: {@code {s}} becomes the schema of the generation being written,
 * the live one or the one a rebuild fills.
 */
public final class ReadModelBatch {

    private final Tenant tenant;
    private final String schema;
    private final JdbcTemplate jdbc;
    private final List<Statement> statements = new ArrayList<>();
    private final Set<String> changedPatients = new LinkedHashSet<>();
    private final List<Runnable> afterCommit = new ArrayList<>();

    ReadModelBatch(Tenant tenant, String schema, JdbcTemplate jdbc) {
        this.tenant = tenant;
        this.schema = schema;
        this.jdbc = jdbc;
    }

    public Tenant tenant() {
        return tenant;
    }

    /** The schema written: the live generation, or the one a rebuild fills. */
    public String schema() {
        return schema;
    }

    /** A statement, run in order when the projection's write returns; {@code {s}} in it names the schema. */
    public void add(String sql, Object... args) {
        statements.add(new Statement(sql, args));
    }

    /** Cached reads of these patients are out of date once the batch commits (not told during a rebuild). */
    public void patientsChanged(Collection<String> patientIds) {
        changedPatients.addAll(patientIds);
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
        return new ReadModelBatch(tenant, schema, jdbc);
    }

    /** The patients and after-commit actions of a one-event batch whose writes succeeded. */
    void absorb(ReadModelBatch event) {
        changedPatients.addAll(event.changedPatients);
        afterCommit.addAll(event.afterCommit);
    }

    Set<String> changedPatients() {
        return changedPatients;
    }

    void committed() {
        afterCommit.forEach(Runnable::run);
    }

    void flush() {
        int i = 0;
        while (i < statements.size()) {
            Statement statement = statements.get(i);
            List<Object[]> args = new ArrayList<>();
            int j = i;
            while (j < statements.size() && statements.get(j).sql.equals(statement.sql)) {
                args.add(statements.get(j).args);
                j++;
            }
            if (args.size() == 1) {
                jdbc.update(sql(statement.sql), args.get(0));
            } else {
                jdbc.batchUpdate(sql(statement.sql), args);
            }
            i = j;
        }
        statements.clear();
    }

    private record Statement(String sql, Object[] args) {
    }
}
