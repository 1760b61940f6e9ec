package org.clinical.infra.command;

import org.axonframework.messaging.Message;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

import java.util.Optional;

/** The metadata keys every command carries, and that its events inherit. */
public final class CommandMetadata {

    public static final String TENANT = "tenant";
    public static final String ACTOR = "actor";
    public static final String CORRELATION_ID = "correlationId";
    public static final String CAUSATION_ID = "causationId";

    private CommandMetadata() {
    }

    /** The tenant of a message, or of the command being handled when the message itself does not say. */
    public static Optional<String> tenantOf(Message<?> message) {
        Object tenant = message == null ? null : message.getMetaData().get(TENANT);
        if (tenant == null && CurrentUnitOfWork.isStarted()) {
            tenant = CurrentUnitOfWork.get().getMessage().getMetaData().get(TENANT);
        }
        return Optional.ofNullable((String) tenant);
    }

    /** The tenant of the command being handled on this thread. */
    public static String currentTenant() {
        return tenantOf(null).orElseThrow(() -> new IllegalStateException("no tenant in the current unit of work"));
    }
}
