package org.clinical.infra.processing;

import org.axonframework.messaging.deadletter.ThrowableCause;
import org.axonframework.serialization.CannotConvertBetweenTypesException;
import org.axonframework.serialization.SerializationException;

import java.sql.SQLException;

/**
 * What a dead letter records of its failure, free of PHI: the class of the deepest cause and a message made
 * only of the SQLState (for database errors) or a fixed text, never an exception's own message, which may
 * quote parameter values or payload text.
 */
public final class SafeCauses {

    private SafeCauses() {
    }

    public static ThrowableCause of(Throwable failure) {
        Throwable root = failure;
        String state = null;
        boolean serialization = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            root = t;
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                state = sql.getSQLState();
            }
            serialization |= t instanceof SerializationException || t instanceof CannotConvertBetweenTypesException;
        }
        String message;
        if (state != null) {
            message = "database refused the write: SQLState " + state;
        } else if (serialization) {
            message = "the stored event could not be read (deserialization or upcasting failed)";
        } else {
            message = "the projection could not apply the event (" + failure.getClass().getSimpleName() + ")";
        }
        return new ThrowableCause(root.getClass().getName(), message);
    }
}
