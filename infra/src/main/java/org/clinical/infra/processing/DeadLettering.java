package org.clinical.infra.processing;

import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.eventhandling.MultiEventHandlerInvoker;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.axonframework.eventhandling.deadletter.DeadLetteringEventHandlerInvoker;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcDeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.clinical.infra.region.Regions;
import org.clinical.infra.tenant.Tenant;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.DefaultTransactionDefinition;

import java.util.ArrayList;
import java.util.List;

/**
 * A processing group's handlers behind Axon's {@link DeadLetteringEventHandlerInvoker}, one per processor of a
 * tenant, with the tenant's {@link DeadLetterQueues queue} of the group and the {@link DeadLetterPolicy}; and
 * the retry of a group's letters with the same handlers.
 */
final class DeadLettering {

    private final Serializer serializer;

    DeadLettering(Serializer serializer) {
        this.serializer = serializer;
    }

    /**
     * The group's handlers behind Axon's dead-lettering invoker, with the tenant's queue of {@code queueName}.
     * Axon's sequence-identifier cache and {@link KnownSequences} spare the look-up of every event's aggregate
     * in the queue: an event costs no query unless its aggregate has letters.
     */
    EventHandlerInvoker processing(String queueName, EventHandlerInvoker handlers, Tenant tenant,
                                   Regions.Region region) {
        KnownSequences queue = new KnownSequences(DeadLetterQueues.queue(tenant, region, queueName, serializer),
                () -> DeadLetterQueues.sequences(tenant, region, queueName),
                (sequence, letter) -> StoredForm.of(sequence, letter,
                        DeadLetterQueues.storedPayload(tenant, region, letter.message().getIdentifier()), serializer));
        return queue.releasing(deadLettering(handlers, region, queue));
    }

    /**
     * Retries the letters of the group, sequence by sequence: each sequence's letters in order, each applied
     * alone ({@link CarefulMode#retrying}); a letter applied is removed, one that fails again stays with one more
     * retry, and the letters behind it wait. Answers how many sequences were applied entirely.
     */
    int retry(String group, EventHandlerInvoker handlers, Tenant tenant, Regions.Region region,
              List<String> sequences) {
        DeadLetteringEventHandlerInvoker invoker = deadLettering(handlers, region,
                DeadLetterQueues.queue(tenant, region, group, serializer));
        invoker.registerHandlerInterceptor(CarefulMode.retrying());
        int applied = 0;
        for (String sequence : sequences) {
            if (invoker.process(letter -> letter instanceof JdbcDeadLetter<?> stored
                    && sequence.equals(stored.getSequenceIdentifier()))) {
                applied++;
            }
        }
        return applied;
    }

    /**
     * Retries of letters (the invoker's {@code process}) run each letter in a savepoint of their transaction
     * ({@code PROPAGATION_NESTED}), so one failing letter rolls back alone and its requeue commits.
     */
    private DeadLetteringEventHandlerInvoker deadLettering(EventHandlerInvoker handlers, Regions.Region region,
                                                           SequencedDeadLetterQueue<EventMessage<?>> queue) {
        DefaultTransactionDefinition nested =
                new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_NESTED);
        return DeadLetteringEventHandlerInvoker.builder()
                .eventHandlers(eventHandlers(handlers))
                .sequencingPolicy(sequencingPolicy(handlers))
                .listenerInvocationErrorHandler(PropagatingErrorHandler.instance())
                .queue(queue)
                .enqueuePolicy(new DeadLetterPolicy())
                .transactionManager(new SpringTransactionManager(region.transactionManager(), nested))
                .enableSequenceIdentifierCache()
                .build();
    }

    private static List<EventMessageHandler> eventHandlers(EventHandlerInvoker invoker) {
        List<EventMessageHandler> handlers = new ArrayList<>();
        if (invoker instanceof MultiEventHandlerInvoker multi) {
            multi.delegates().forEach(delegate -> handlers.addAll(eventHandlers(delegate)));
        } else if (invoker instanceof SimpleEventHandlerInvoker simple) {
            handlers.addAll(simple.eventHandlers());
        } else {
            throw new IllegalArgumentException("cannot dead-letter for " + invoker.getClass().getName());
        }
        return handlers;
    }

    private static SequencingPolicy<? super EventMessage<?>> sequencingPolicy(EventHandlerInvoker invoker) {
        if (invoker instanceof MultiEventHandlerInvoker multi && !multi.delegates().isEmpty()) {
            return sequencingPolicy(multi.delegates().get(0));
        }
        if (invoker instanceof SimpleEventHandlerInvoker simple) {
            return simple.getSequencingPolicy();
        }
        return SequentialPerAggregatePolicy.instance();
    }
}
