package org.clinical.infra.region;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Statement;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A read that needs a transaction of its own on one pooled connection, rolled back at the end whatever happens:
 * PostgreSQL sends a result by the fetch size only inside a transaction, and a {@link Mode#SNAPSHOT} read sees one
 * repeatable-read snapshot of the store across all its statements. The connection goes back to the pool as it
 * came: auto-commit restored, and the isolation and any settings were set for this transaction only
 * ({@code SET TRANSACTION}, {@code SET LOCAL}).
 */
public final class ReadTransaction {

    /** How the statements of the read see the store. */
    public enum Mode {
        /** Each statement its own snapshot (read committed): enough for one streamed statement. */
        STATEMENT,
        /** All statements one read-only repeatable-read snapshot. */
        SNAPSHOT
    }

    /** What {@code pg_export_snapshot()} answers: hexadecimal numbers and dashes. */
    private static final Pattern SNAPSHOT_ID = Pattern.compile("[0-9A-Fa-f]+(-[0-9A-Fa-f]+)+");

    private ReadTransaction() {
    }

    public static <T> T run(JdbcTemplate jdbc, Mode mode, ConnectionCallback<T> read) {
        return run(jdbc, mode, List.of(), read);
    }

    /**
     * The same, with PostgreSQL settings for this transaction only, each {@code name = value} as after
     * {@code SET LOCAL} (for example {@code jit = off}).
     */
    public static <T> T run(JdbcTemplate jdbc, Mode mode, List<String> settings, ConnectionCallback<T> read) {
        return run(jdbc, mode, null, settings, read);
    }

    /**
     * A {@link Mode#SNAPSHOT} read that sees the snapshot another open transaction exported
     * ({@code pg_export_snapshot()}), so that several connections read one state of the store.
     */
    public static <T> T inSnapshot(JdbcTemplate jdbc, String snapshot, List<String> settings,
                                   ConnectionCallback<T> read) {
        if (!SNAPSHOT_ID.matcher(snapshot).matches()) {
            throw new IllegalArgumentException("not a snapshot id: " + snapshot);
        }
        return run(jdbc, Mode.SNAPSHOT, snapshot, settings, read);
    }

    private static <T> T run(JdbcTemplate jdbc, Mode mode, String snapshot, List<String> settings,
                             ConnectionCallback<T> read) {
        return jdbc.execute((ConnectionCallback<T>) con -> {
            boolean autoCommit = con.getAutoCommit();
            con.setAutoCommit(false);
            try {
                try (Statement setUp = con.createStatement()) {
                    if (mode == Mode.SNAPSHOT) {
                        setUp.execute("set transaction isolation level repeatable read, read only");
                    }
                    if (snapshot != null) {
                        setUp.execute("set transaction snapshot '" + snapshot + "'");
                    }
                    for (String setting : settings) {
                        setUp.execute("set local " + setting);
                    }
                }
                return read.doInConnection(con);
            } finally {
                con.rollback();
                con.setAutoCommit(autoCommit);
            }
        });
    }
}
