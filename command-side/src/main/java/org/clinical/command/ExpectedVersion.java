package org.clinical.command;

import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.clinical.events.common.VersionedCommand;

/**
 * {@code If-Match} is checked before any rule: a command decided on another version of the record than the
 * current one is refused as stale (412), whether it is behind or ahead. Axon alone would check only at
 * commit, after the rules, and would let a version from the future pass.
 */
public final class ExpectedVersion {

    private ExpectedVersion() {
    }

    /** Call from a {@code @CommandHandlerInterceptor} of a versioned aggregate. */
    public static void mustMatch(Object command, Object aggregateId) {
        if (command instanceof VersionedCommand versioned && versioned.expectedVersion() != null) {
            Long actual = AggregateLifecycle.getVersion();
            if (!versioned.expectedVersion().equals(actual)) {
                throw new ConflictingAggregateVersionException(String.valueOf(aggregateId),
                        versioned.expectedVersion(), actual == null ? -1 : actual);
            }
        }
    }
}
