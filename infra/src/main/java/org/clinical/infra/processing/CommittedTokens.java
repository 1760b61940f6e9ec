package org.clinical.infra.processing;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.List;

/**
 * Tells the {@link Listener listeners}, once a batch of one tenant's processor committed, the token it
 * committed: that of its last event, whether a handler saw the event or not (an event dead-lettered behind
 * its aggregate's letter, or unreadable, reaches no handler but is passed all the same). Registered at the
 * batch's first event, so it runs after every after-commit action handlers registered (Axon runs those in
 * reverse order): a position is published only after the caches its batch changed were evicted.
 */
public final class CommittedTokens implements MessageHandlerInterceptor<EventMessage<?>> {

    /** Told after each committed batch of a tenant's processor. */
    public interface Listener {
        void committed(String processor, String tenantId, TrackingToken token);
    }

    private static final String TOKEN = "clinical.processing.last-token";

    private final String processor;
    private final String tenantId;
    private final List<Listener> listeners;

    CommittedTokens(String processor, String tenantId, List<Listener> listeners) {
        this.processor = processor;
        this.tenantId = tenantId;
        this.listeners = listeners;
    }

    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain)
            throws Exception {
        UnitOfWork<?> root = unitOfWork.root();
        if (!root.resources().containsKey(TOKEN)) {
            root.afterCommit(this::committed);
        }
        if (unitOfWork.getMessage() instanceof TrackedEventMessage<?> tracked && tracked.trackingToken() != null) {
            root.resources().put(TOKEN, tracked.trackingToken());
        } else {
            root.resources().putIfAbsent(TOKEN, null);
        }
        return chain.proceed();
    }

    private void committed(UnitOfWork<?> root) {
        TrackingToken token = root.getResource(TOKEN);
        if (token != null) {
            listeners.forEach(listener -> listener.committed(processor, tenantId, token));
        }
    }
}
