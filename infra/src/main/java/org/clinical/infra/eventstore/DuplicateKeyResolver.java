package org.clinical.infra.eventstore;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;

import java.sql.SQLException;

/**
 * Recognises PostgreSQL's {@code unique_violation} (SQLState 23505) anywhere in the cause chain, including the
 * next-exception chain of a failed batch: Axon's default resolver does not know PostgreSQL, and would turn a
 * concurrent append into a 500 instead of a concurrency answer.
 */
public final class DuplicateKeyResolver implements PersistenceExceptionResolver {

    public static final String UNIQUE_VIOLATION = "23505";

    @Override
    public boolean isDuplicateKeyViolation(Exception exception) {
        return isDuplicateKey(exception);
    }

    public static boolean isDuplicateKey(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        return true;
                    }
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
