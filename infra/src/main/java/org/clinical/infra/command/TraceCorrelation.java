package org.clinical.infra.command;

import org.axonframework.messaging.Message;
import org.axonframework.messaging.correlation.CorrelationDataProvider;

import java.util.HashMap;
import java.util.Map;

/**
 * What every event records about its origin: the tenant, the actor ({@code sub} of the token), the
 * correlation id of the request and, as causation, the id of the command that produced it.
 */
public class TraceCorrelation implements CorrelationDataProvider {

    @Override
    public Map<String, ?> correlationDataFor(Message<?> message) {
        Map<String, Object> data = new HashMap<>();
        copy(message, CommandMetadata.TENANT, data);
        copy(message, CommandMetadata.ACTOR, data);
        copy(message, CommandMetadata.CORRELATION_ID, data);
        data.put(CommandMetadata.CAUSATION_ID, message.getIdentifier());
        return data;
    }

    private static void copy(Message<?> message, String key, Map<String, Object> data) {
        Object value = message.getMetaData().get(key);
        if (value != null) {
            data.put(key, value);
        }
    }
}
