package org.clinical.infra.processing;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueueDecision;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * Which failures set an event aside. A failure in a normal batch never does, nor does a transient one
 * ({@link TransientFaults}) ever: it is thrown on, out of Axon's dead-lettering invoker (which would otherwise
 * swallow it), so the batch fails and the processor retries it, in {@link CarefulMode} unless the failure was
 * transient. A failure that is not transient in careful mode (the event's second attempt, alone) dead-letters
 * the event with a {@link SafeCauses PHI-free cause}; a retry of a dead letter that fails again keeps it, one
 * more in its {@value #RETRIES} diagnostic.
 */
public final class DeadLetterPolicy implements EnqueuePolicy<EventMessage<?>> {

    public static final String RETRIES = "retries";

    @Override
    public EnqueueDecision<EventMessage<?>> decide(DeadLetter<? extends EventMessage<?>> letter, Throwable cause) {
        boolean stored = letter.diagnostics().containsKey(RETRIES);
        if (!stored) {
            if (TransientFaults.isTransient(cause) || !careful()) {
                throw new BatchFailedException(cause);
            }
            return Decisions.enqueue(SafeCauses.of(cause), l -> MetaData.with(RETRIES, 0));
        }
        return Decisions.requeue(SafeCauses.of(cause), l -> l.diagnostics().and(RETRIES, retries(l) + 1));
    }

    private static long retries(DeadLetter<?> letter) {
        Object value = letter.diagnostics().get(RETRIES);
        return value instanceof Number n ? n.longValue() : 0;
    }

    private static boolean careful() {
        return CurrentUnitOfWork.isStarted() && CarefulMode.isCareful(CurrentUnitOfWork.get());
    }

    /** A failure carried out of the invoker, so the processor retries the batch. */
    public static final class BatchFailedException extends RuntimeException {
        BatchFailedException(Throwable cause) {
            super("event handling failed, the batch is retried", cause);
        }
    }
}
