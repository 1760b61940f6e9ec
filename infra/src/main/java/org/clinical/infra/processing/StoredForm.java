package org.clinical.infra.processing;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.deadletter.Cause;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.GenericDeadLetter;
import org.axonframework.messaging.deadletter.ThrowableCause;
import org.axonframework.serialization.LazyDeserializingObject;
import org.axonframework.serialization.SerializedMessage;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.springframework.dao.DataAccessException;

import java.sql.SQLException;


/**
 * A letter whose event cannot be copied as the processor read it, because reading it failed in an upcaster
 * (a letter holds the upcasted payload, made on demand): it is kept with the event's payload as stored
 * instead, marked {@value #DIAGNOSTIC}, so it is set aside rather than halting the projection. A retry reads
 * such a letter without upcasters: the stored event must first be corrected in the current revision.
 */
final class StoredForm {

    static final String DIAGNOSTIC = "storedForm";

    private StoredForm() {
    }

    /**
     * Whether enqueueing failed while copying the event's payload, before anything reached the database: any
     * failure without a database failure in its chain. Upcasters fail in their own ways (a revision-1 payload
     * that is not an object fails a cast inside the upcaster), not only with serialization exceptions.
     */
    static boolean unreadable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException || t instanceof DataAccessException) {
                return false;
            }
        }
        return true;
    }

    static DeadLetter<EventMessage<?>> of(Object sequenceIdentifier, DeadLetter<? extends EventMessage<?>> letter,
                                          SerializedObject<byte[]> stored, Serializer serializer) {
        EventMessage<?> read = letter.message();
        if (!(read instanceof DomainEventMessage<?> domain) || !(read instanceof TrackedEventMessage<?> tracked)) {
            throw new IllegalStateException("only tracked domain events can be set aside in their stored form");
        }
        SerializedMessage<Object> raw = new SerializedMessage<>(read.getIdentifier(),
                new LazyDeserializingObject<>(stored, serializer), new LazyDeserializingObject<>(read.getMetaData()));
        EventMessage<?> message = new GenericTrackedDomainEventMessage<>(tracked.trackingToken(), domain.getType(),
                domain.getAggregateIdentifier(), domain.getSequenceNumber(), raw, read::getTimestamp);
        Cause cause = letter.cause().orElse(null);
        GenericDeadLetter<EventMessage<?>> copy = cause == null
                ? new GenericDeadLetter<>(sequenceIdentifier, message)
                : new GenericDeadLetter<>(sequenceIdentifier, message, new ThrowableCause(cause.type(), cause.message()));
        MetaData diagnostics = letter.diagnostics().and(DIAGNOSTIC, true);
        return copy.withDiagnostics(diagnostics);
    }
}
