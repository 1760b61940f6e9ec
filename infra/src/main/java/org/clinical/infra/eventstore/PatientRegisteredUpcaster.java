package org.clinical.infra.eventstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

/**
 * {@code PatientRegistered} revision 1 (the pilot's form) had no {@code identifiers}: it reads back as
 * revision 2 with an empty list.
 */
public class PatientRegisteredUpcaster extends SingleEventUpcaster {

    private static final SimpleSerializedType REVISION_1 = new SimpleSerializedType("PatientRegistered", "1");
    private static final SimpleSerializedType REVISION_2 = new SimpleSerializedType("PatientRegistered", "2");

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return REVISION_1.equals(representation.getType());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(REVISION_2, JsonNode.class, payload -> {
            ObjectNode event = (ObjectNode) payload;
            if (!event.has("identifiers")) {
                event.putArray("identifiers");
            }
            return event;
        });
    }
}
