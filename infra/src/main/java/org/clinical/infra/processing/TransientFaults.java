package org.clinical.infra.processing;

import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Whether a failure of event processing may go away by itself, so the batch is retried (with the processor's
 * back-off) instead of an event being dead-lettered: lost or refused connections (SQLState class 08),
 * serialization failures and deadlocks (40), insufficient resources (53), operator intervention such as a
 * query canceled at shutdown or a terminated backend (57), a lock not available in time (55P03), and what
 * Spring or JDBC call transient or recoverable. Looks at the whole cause chain.
 */
public final class TransientFaults {

    private static final int MAX_DEPTH = 20;

    private TransientFaults() {
    }

    public static boolean isTransient(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_DEPTH; depth++) {
            if (isTransientItself(current)) {
                return true;
            }
            if (current instanceof SQLException sql && sql.getNextException() != null
                    && isTransientItself(sql.getNextException())) {
                return true;
            }
            current = current.getCause() == current ? null : current.getCause();
        }
        return false;
    }

    private static boolean isTransientItself(Throwable failure) {
        if (failure instanceof TransientDataAccessException || failure instanceof RecoverableDataAccessException
                || failure instanceof CannotGetJdbcConnectionException
                || failure instanceof CannotCreateTransactionException
                || failure instanceof SQLTransientException || failure instanceof SQLRecoverableException) {
            return true;
        }
        return failure instanceof SQLException sql && transientState(sql.getSQLState());
    }

    static boolean transientState(String state) {
        if (state == null || state.length() != 5) {
            return false;
        }
        String kind = state.substring(0, 2);
        return kind.equals("08") || kind.equals("40") || kind.equals("53") || kind.equals("57")
                || state.equals("55P03");
    }
}
