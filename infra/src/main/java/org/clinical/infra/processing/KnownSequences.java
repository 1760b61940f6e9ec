package org.clinical.infra.processing;

import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.Segment;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.EnqueueDecision;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A dead-letter queue that knows which sequences (aggregates) it holds, so asking whether an event must wait
 * behind a letter costs no query for the aggregates without letters. Axon's invoker asks for every event, and
 * its own cache only spares the question while the queue was empty when the segment was claimed: without this,
 * a projection holding one letter would look up every event's aggregate in the table.
 *
 * <p>The set is read from the table the first time it is needed after the segment was claimed, and grows with
 * every letter this processor enqueues; while the processor owns the segment nobody else adds sequences to its
 * group (retries only remove or requeue letters; a rebuild's letters are handed over while the live processor
 * is stopped). A sequence in the set is still checked in the table, so a letter retried meanwhile is seen as
 * gone. The set is forgotten when the segment is released ({@link #releasing}).
 */
final class KnownSequences implements SequencedDeadLetterQueue<EventMessage<?>> {

    private final SequencedDeadLetterQueue<EventMessage<?>> queue;
    private final Supplier<Set<String>> stored;
    private final BiFunction<Object, DeadLetter<? extends EventMessage<?>>, DeadLetter<EventMessage<?>>> storedForm;
    private volatile Set<Object> known;

    /**
     * @param stored     reads the sequences holding letters
     * @param storedForm the letter with the event as stored, for an event whose upcaster fails ({@link StoredForm})
     */
    KnownSequences(SequencedDeadLetterQueue<EventMessage<?>> queue, Supplier<Set<String>> stored,
                   BiFunction<Object, DeadLetter<? extends EventMessage<?>>, DeadLetter<EventMessage<?>>> storedForm) {
        this.queue = queue;
        this.stored = stored;
        this.storedForm = storedForm;
    }

    /** The invoker, whose segment releases make this queue read its sequences again at the next claim. */
    EventHandlerInvoker releasing(EventHandlerInvoker invoker) {
        return new EventHandlerInvoker() {
            @Override
            public boolean canHandle(EventMessage<?> eventMessage, Segment segment) {
                return invoker.canHandle(eventMessage, segment);
            }

            @Override
            public boolean canHandleType(Class<?> payloadType) {
                return invoker.canHandleType(payloadType);
            }

            @Override
            public void handle(EventMessage<?> message, Segment segment) throws Exception {
                invoker.handle(message, segment);
            }

            @Override
            public boolean supportsReset() {
                return invoker.supportsReset();
            }

            @Override
            public void performReset() {
                invoker.performReset();
            }

            @Override
            public <R> void performReset(R resetContext) {
                invoker.performReset(resetContext);
            }

            @Override
            public void segmentReleased(Segment segment) {
                known = null;
                invoker.segmentReleased(segment);
            }
        };
    }

    private Set<Object> known() {
        Set<Object> current = known;
        if (current == null) {
            current = ConcurrentHashMap.newKeySet();
            current.addAll(stored.get());
            known = current;
        }
        return current;
    }

    @Override
    public boolean contains(Object sequenceIdentifier) {
        return known().contains(sequenceIdentifier) && queue.contains(sequenceIdentifier);
    }

    /**
     * Every letter is stored with a retry count (letters queued behind another one come without), and one whose
     * event cannot be copied as read is stored in its {@link StoredForm}.
     */
    @Override
    public void enqueue(Object sequenceIdentifier, DeadLetter<? extends EventMessage<?>> letter) {
        DeadLetter<? extends EventMessage<?>> counted = letter.diagnostics().containsKey(DeadLetterPolicy.RETRIES)
                ? letter : letter.withDiagnostics(letter.diagnostics().and(DeadLetterPolicy.RETRIES, 0));
        try {
            queue.enqueue(sequenceIdentifier, counted);
        } catch (RuntimeException e) {
            if (!StoredForm.unreadable(e)) {
                throw e;
            }
            queue.enqueue(sequenceIdentifier, storedForm.apply(sequenceIdentifier, counted));
        }
        known().add(sequenceIdentifier);
    }

    @Override
    public void evict(DeadLetter<? extends EventMessage<?>> letter) {
        queue.evict(letter);
    }

    @Override
    public void requeue(DeadLetter<? extends EventMessage<?>> letter,
                        UnaryOperator<DeadLetter<? extends EventMessage<?>>> letterUpdater) {
        queue.requeue(letter, letterUpdater);
    }

    @Override
    public Iterable<DeadLetter<? extends EventMessage<?>>> deadLetterSequence(Object sequenceIdentifier) {
        return queue.deadLetterSequence(sequenceIdentifier);
    }

    @Override
    public Iterable<Iterable<DeadLetter<? extends EventMessage<?>>>> deadLetters() {
        return queue.deadLetters();
    }

    @Override
    public boolean isFull(Object sequenceIdentifier) {
        return queue.isFull(sequenceIdentifier);
    }

    @Override
    public long size() {
        return queue.size();
    }

    @Override
    public long sequenceSize(Object sequenceIdentifier) {
        return queue.sequenceSize(sequenceIdentifier);
    }

    @Override
    public long amountOfSequences() {
        return queue.amountOfSequences();
    }

    @Override
    public boolean process(Predicate<DeadLetter<? extends EventMessage<?>>> sequenceFilter,
                           Function<DeadLetter<? extends EventMessage<?>>, EnqueueDecision<EventMessage<?>>> task) {
        return queue.process(sequenceFilter, task);
    }

    @Override
    public void clear() {
        queue.clear();
    }
}
