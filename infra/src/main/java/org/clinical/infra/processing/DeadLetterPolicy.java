package org.clinical.infra.processing;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueueDecision;
import org.axonframework.messaging.deadletter.EnqueuePolicy;

/**
 * Which failures set an event aside. A transient one ({@link TransientFaults}) never does: it is thrown on, out
 * of Axon's dead-lettering invoker (which would otherwise swallow it), so the batch fails and the processor
 * retries it. Any other failure dead-letters the event with a {@link SafeCauses PHI-free cause}; a retry of a
 * dead letter that fails again keeps it, one more in its {@value #RETRIES} diagnostic.
 */
public final class DeadLetterPolicy implements EnqueuePolicy<EventMessage<?>> {

    public static final String RETRIES = "retries";

    @Override
    public EnqueueDecision<EventMessage<?>> decide(DeadLetter<? extends EventMessage<?>> letter, Throwable cause) {
        boolean stored = letter.diagnostics().containsKey(RETRIES);
        if (!stored) {
            if (TransientFaults.isTransient(cause)) {
                throw new TransientProcessingException(cause);
            }
            return Decisions.enqueue(SafeCauses.of(cause), l -> MetaData.with(RETRIES, 0));
        }
        return Decisions.requeue(SafeCauses.of(cause), l -> l.diagnostics().and(RETRIES, retries(l) + 1));
    }

    private static long retries(DeadLetter<?> letter) {
        Object value = letter.diagnostics().get(RETRIES);
        return value instanceof Number n ? n.longValue() : 0;
    }

    /** A transient failure carried out of the invoker, so the processor retries the batch. */
    public static final class TransientProcessingException extends RuntimeException {
        TransientProcessingException(Throwable cause) {
            super("transient failure, the batch is retried", cause);
        }
    }
}
