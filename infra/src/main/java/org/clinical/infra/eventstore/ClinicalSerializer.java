package org.clinical.infra.eventstore;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
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
        return exactDecimals(new ObjectMapper())
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    /**
     * Clinical values are decimals: read them as {@code BigDecimal} (never through a {@code double}), keep
     * their scale ({@code 7.20} stays {@code 7.20}) and never write them in exponent form. Used for both the
     * stored events and the HTTP API's mapper.
     */
    public static ObjectMapper exactDecimals(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        mapper.configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
        mapper.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        return mapper;
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
