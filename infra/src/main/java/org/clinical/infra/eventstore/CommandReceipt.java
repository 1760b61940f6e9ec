package org.clinical.infra.eventstore;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.clinical.infra.web.RecordVersion;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a command appended: the tenant stream position of its last event and, per aggregate, the version
 * it reached. Created when a command starts, filled by the storage engine as the events are written in
 * the command's transaction, and handed back to the sender once it commits.
 */
public final class CommandReceipt {

    private static final String RESOURCE = CommandReceipt.class.getName();

    private final Map<String, Long> lastSequences = new LinkedHashMap<>();
    private long position = -1;

    static CommandReceipt startFor(UnitOfWork<?> unitOfWork) {
        CommandReceipt receipt = new CommandReceipt();
        unitOfWork.root().resources().put(RESOURCE, receipt);
        return receipt;
    }

    static Optional<CommandReceipt> current() {
        return CurrentUnitOfWork.isStarted()
                ? Optional.ofNullable(CurrentUnitOfWork.get().root().getResource(RESOURCE))
                : Optional.empty();
    }

    synchronized void appended(List<? extends EventMessage<?>> events, long lastGlobalIndex) {
        for (EventMessage<?> event : events) {
            if (event instanceof DomainEventMessage<?> domainEvent) {
                lastSequences.merge(domainEvent.getAggregateIdentifier(), domainEvent.getSequenceNumber(), Math::max);
            }
        }
        position = Math.max(position, lastGlobalIndex);
    }

    /** Position in the tenant's event stream of the last event appended, or -1 when nothing was appended. */
    public synchronized long position() {
        return position;
    }

    /** The version an aggregate reached: the number of events in its stream. */
    public synchronized RecordVersion versionOf(Object aggregateId) {
        Long sequence = lastSequences.get(aggregateId.toString());
        if (sequence == null) {
            throw new IllegalStateException("command appended nothing for " + aggregateId);
        }
        return RecordVersion.fromSequence(sequence);
    }
}
