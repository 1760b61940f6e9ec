package org.clinical.infra.processing;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.ExecutionResult;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How one processor (one group of one tenant) recovers from a batch that failed: read-model writes are made
 * at a batch's commit, so an event the read model cannot hold fails the whole batch, not its handler. After
 * a batch fails for a reason that is not known to be transient, the batches up to and including its last
 * position run in careful mode: each event's writes are made right after its handler, inside a savepoint, so
 * a failing event fails alone, in its handler, where the dead-lettering invoker sets it aside, and the rest
 * of the batch commits. Careful mode is a resource on the batch's root unit of work ({@link #CAREFUL}) that
 * projections read; it is decided at the batch's first event, so a batch is careful throughout or not at all.
 *
 * <p>The state is JVM-local and needs no agreement between instances: an instance that claims the segment and
 * meets the failing batch fails once itself, then goes careful. A dead-letter retry is careful too (it runs
 * outside the processor, so it never moves the projection's published position).
 */
public final class CarefulMode implements MessageHandlerInterceptor<EventMessage<?>> {

    /** Root unit-of-work resource: write each event's changes right after its handler, in a savepoint. */
    public static final String CAREFUL = "clinical.processing.careful";
    private static final String HIGHEST = "clinical.processing.highest-position";

    private final AtomicLong carefulUntil = new AtomicLong(-1);

    public static boolean isCareful(UnitOfWork<?> unitOfWork) {
        return unitOfWork.root().getResource(CAREFUL) != null;
    }

    /** The interceptor of a dead-letter retry: each letter is applied alone. */
    public static MessageHandlerInterceptor<EventMessage<?>> retrying() {
        return (unitOfWork, chain) -> {
            unitOfWork.root().resources().put(CAREFUL, Boolean.TRUE);
            return chain.proceed();
        };
    }

    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain)
            throws Exception {
        UnitOfWork<?> root = unitOfWork.root();
        long position = position(unitOfWork.getMessage());
        Long highest = root.getResource(HIGHEST);
        if (highest == null) {
            if (position <= carefulUntil.get()) {
                root.resources().put(CAREFUL, Boolean.TRUE);
            }
            root.onRollback(this::failed);
            highest = -1L;
        }
        root.resources().put(HIGHEST, Math.max(highest, position));
        return chain.proceed();
    }

    private void failed(UnitOfWork<?> root) {
        ExecutionResult result = root.getExecutionResult();
        Throwable cause = result == null ? null : result.getExceptionResult();
        Long highest = root.getResource(HIGHEST);
        if (highest != null && (cause == null || !TransientFaults.isTransient(cause))) {
            carefulUntil.accumulateAndGet(highest, Math::max);
        }
    }

    private static long position(EventMessage<?> message) {
        return message instanceof TrackedEventMessage<?> tracked && tracked.trackingToken() != null
                ? tracked.trackingToken().position().orElse(Long.MAX_VALUE) : Long.MAX_VALUE;
    }
}
