package org.clinical.infra.eventstore;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.json.JacksonSerializer;
import org.clinical.events.common.EventTypes;

/**
 * Jackson for everything Axon stores (events, snapshots, tokens, metadata). Events are stored under their
 * contract names ({@code PatientRegistered}) rather than Java class names, so a package move never breaks
 * the store; everything else keeps Axon's class-name types.
 */
public class ClinicalSerializer extends JacksonSerializer {

    private ClinicalSerializer(Builder builder) {
        super(builder);
    }

    public static ClinicalSerializer create() {
        Builder builder = JacksonSerializer.builder()
                .objectMapper(objectMapper())
                .revisionResolver(new AnnotationRevisionResolver());
        return new ClinicalSerializer(builder);
    }

    public static ObjectMapper objectMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    @Override
    public SerializedType typeForClass(Class type) {
        return EventTypes.nameOf(type)
                .<SerializedType>map(name -> new SimpleSerializedType(name, getRevisionResolver().revisionOf(type)))
                .orElseGet(() -> super.typeForClass(type));
    }

    @Override
    protected String resolveClassName(SerializedType serializedType) {
        return EventTypes.classOf(serializedType.getName()).map(Class::getName).orElse(serializedType.getName());
    }
}
