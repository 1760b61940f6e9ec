package org.clinical.infra.region;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Statement;

/**
 * A read that needs a transaction of its own on one pooled connection, rolled back at the end whatever happens:
 * PostgreSQL sends a result by the fetch size only inside a transaction, and a {@link Mode#SNAPSHOT} read sees one
 * repeatable-read snapshot of the store across all its statements. The connection goes back to the pool as it
 * came: auto-commit restored, and the isolation was set for this transaction only ({@code SET TRANSACTION}).
 */
public final class ReadTransaction {

    /** How the statements of the read see the store. */
    public enum Mode {
        /** Each statement its own snapshot (read committed): enough for one streamed statement. */
        STATEMENT,
        /** All statements one read-only repeatable-read snapshot. */
        SNAPSHOT
    }

    private ReadTransaction() {
    }

    public static <T> T run(JdbcTemplate jdbc, Mode mode, ConnectionCallback<T> read) {
        return jdbc.execute((ConnectionCallback<T>) con -> {
            boolean autoCommit = con.getAutoCommit();
            con.setAutoCommit(false);
            try {
                if (mode == Mode.SNAPSHOT) {
                    try (Statement snapshot = con.createStatement()) {
                        snapshot.execute("set transaction isolation level repeatable read, read only");
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
