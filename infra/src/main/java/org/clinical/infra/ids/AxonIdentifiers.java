package org.clinical.infra.ids;

import org.axonframework.common.IdentifierFactory;

/**
 * The identifiers of Axon's messages (commands, events, results), made by {@link RandomIds}. Axon finds this
 * factory through {@code META-INF/services/org.axonframework.common.IdentifierFactory}; without it, every
 * message would take the JDK's one shared random-number lock.
 */
public class AxonIdentifiers extends IdentifierFactory {

    @Override
    public String generateIdentifier() {
        return RandomIds.next().toString();
    }
}
