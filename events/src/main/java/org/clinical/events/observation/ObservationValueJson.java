package org.clinical.events.observation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import org.clinical.events.common.Coding;
import org.clinical.events.observation.ObservationValue.BooleanValue;
import org.clinical.events.observation.ObservationValue.CodeValue;
import org.clinical.events.observation.ObservationValue.Component;
import org.clinical.events.observation.ObservationValue.Components;
import org.clinical.events.observation.ObservationValue.Quantity;
import org.clinical.events.observation.ObservationValue.StringValue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The single-key JSON form of {@link ObservationValue}, shared by the stored events and the HTTP API. */
final class ObservationValueJson {

    private ObservationValueJson() {
    }

    static final class Writer extends StdSerializer<ObservationValue> {

        Writer() {
            super(ObservationValue.class);
        }

        @Override
        public void serialize(ObservationValue value, JsonGenerator gen, SerializerProvider provider)
                throws IOException {
            gen.writeStartObject();
            switch (value) {
                case Quantity q -> {
                    gen.writeObjectFieldStart("quantity");
                    gen.writeNumberField("value", q.value());
                    gen.writeStringField("unit", q.unit());
                    gen.writeEndObject();
                }
                case CodeValue c -> provider.defaultSerializeField("code", c.code(), gen);
                case StringValue s -> gen.writeStringField("string", s.text());
                case BooleanValue b -> gen.writeBooleanField("boolean", b.value());
                case Components c -> {
                    gen.writeArrayFieldStart("components");
                    for (Component component : c.components()) {
                        gen.writeStartObject();
                        provider.defaultSerializeField("code", component.code(), gen);
                        gen.writeFieldName("value");
                        serialize(component.value(), gen, provider);
                        gen.writeEndObject();
                    }
                    gen.writeEndArray();
                }
            }
            gen.writeEndObject();
        }
    }

    static final class Reader extends StdDeserializer<ObservationValue> {

        Reader() {
            super(ObservationValue.class);
        }

        @Override
        public ObservationValue deserialize(JsonParser parser, DeserializationContext ctx) throws IOException {
            return read(parser.readValueAsTree(), parser);
        }

        private ObservationValue read(JsonNode node, JsonParser parser)
                throws IOException {
            if (node == null || !node.isObject() || node.size() != 1) {
                throw mismatch(parser,
                        "value must be an object with exactly one of quantity, code, string, boolean, components");
            }
            String kind = node.fieldNames().next();
            JsonNode body = node.get(kind);
            return switch (kind) {
                case "quantity" -> {
                    onlyFields(body, parser, "value", "unit");
                    if (!body.path("value").isNumber() || !body.path("unit").isTextual()
                            || body.get("unit").asText().isBlank()) {
                        throw mismatch(parser, "quantity needs a numeric value and a UCUM unit");
                    }
                    yield new Quantity(body.get("value").decimalValue(), body.get("unit").asText());
                }
                case "code" -> new CodeValue(requiredCoding(body, parser));
                case "string" -> {
                    if (!body.isTextual()) {
                        throw mismatch(parser, "string must be text");
                    }
                    yield new StringValue(body.asText());
                }
                case "boolean" -> {
                    if (!body.isBoolean()) {
                        throw mismatch(parser, "boolean must be true or false");
                    }
                    yield new BooleanValue(body.asBoolean());
                }
                case "components" -> {
                    if (!body.isArray() || body.isEmpty()) {
                        throw mismatch(parser, "components must be a non-empty array");
                    }
                    List<Component> components = new ArrayList<>();
                    for (JsonNode component : body) {
                        onlyFields(component, parser, "code", "value");
                        components.add(new Component(requiredCoding(component.get("code"), parser),
                                read(component.get("value"), parser)));
                    }
                    yield new Components(components);
                }
                default -> throw mismatch(parser, "unknown value kind '" + kind + "'");
            };
        }

        /** A refusal that names the problem but never quotes the input back (it may be large or hold PHI). */
        private static MismatchedInputException mismatch(JsonParser parser, String message) {
            return MismatchedInputException.from(parser, ObservationValue.class, message);
        }

        /** Unknown fields are refused, never dropped: a misplaced field must not silently lose data. */
        private static void onlyFields(JsonNode node, JsonParser parser, String... allowed)
                throws IOException {
            List<String> known = List.of(allowed);
            for (var names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!known.contains(name)) {
                    throw mismatch(parser,
                            "unknown field '" + name + "' (allowed: " + String.join(", ", allowed) + ")");
                }
            }
        }

        private static Coding requiredCoding(JsonNode node, JsonParser parser)
                throws IOException {
            if (node == null || !node.isObject() || !node.path("system").isTextual()
                    || !node.path("code").isTextual()) {
                throw mismatch(parser, "a code needs a system and a code");
            }
            return parser.getCodec().treeToValue(node, Coding.class);
        }
    }
}
