package org.clinical.platform.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * jqwik generators of hostile requests: a valid request of one command endpoint, mutated once (control
 * characters, huge strings, deep nesting, duplicate keys, nulls in arrays, wrong types, extreme numbers and
 * dates, unknown fields, truncated JSON, ids of the wrong kind...). Every choice is jqwik's, so one seed
 * gives the same requests.
 */
final class HostileBodies {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectWriter ESCAPING = JSON.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());
    private static final String RAW = "@@RAW@@";
    private static final String DUPLICATE = "@@DUPLICATE@@";

    enum Mutation {
        CONTROL_CHARACTER, HUGE_STRING, DEEP_NESTING, EXTREME_NUMBER, EXTREME_DATE, WRONG_TYPE, NULL_IN_ARRAY,
        LONG_ARRAY, UNKNOWN_FIELD, DUPLICATE_KEY, MISSING_FIELD, TRUNCATED, ODD_ROOT, WRONG_KIND_ID, HOSTILE_VALUE
    }

    /** A valid request: the endpoint's name, method, path, token and body. */
    record Template(String endpoint, String method, String path, String token, String body) {
    }

    record Request(String endpoint, String method, String path, String token, String body, String mutation) {

        @Override
        public String toString() {
            String shown = body.length() > 300 ? body.substring(0, 300) + "...(" + body.length() + " chars)" : body;
            return endpoint + " " + mutation + " " + method + " " + path + " " + shown;
        }
    }

    private static final List<String> CONTROLS = List.of("\u0000", "\u0001", "\u0008", "\u000b", "\u001b",
            "\u007f", "\u0085", "\u009f", "\ud800", "\udc00", "\uffff", "\ufdd0", "\t", "\n", "\r\n", "\u2028");
    private static final List<Integer> HUGE = List.of(65, 101, 201, 256, 501, 4001, 70_000, 200_000, 1_100_000);
    private static final List<Integer> DEPTHS = List.of(33, 100, 1_000, 5_000);
    private static final List<String> NUMBERS = List.of("1e10000", "-1e10000", "1e-400", "1E+999999999",
            "123456789012345678901234567890", "0.0000001", "-0.0", "NaN", "Infinity", "-Infinity", "0x10", "01",
            "1.", ".5", "9".repeat(100), "1e309", "4.9e-325", "-9223372036854775809", "2147483648", "1e12",
            "999999999999.999999", "-999999999999.9999999");
    private static final List<String> DATES = List.of("-5000-01-01", "0000-01-01", "0000-01-01T00:00:00Z",
            "-0001-12-31T00:00:00Z", "+999999999-12-31", "+10000-01-01T00:00:00Z", "1799-12-31",
            "1799-12-31T23:59:59Z", "9999-12-31T23:59:59Z", "2999-01-01", "2025-02-30", "2025-13-01T00:00:00Z",
            "2025-03-01T25:00:00Z", "2025-03-01", "2025-03-01T09:00:00", "2025-03-01T09:00:00+14:00",
            "1800-01-01T00:00:00Z", "1800-01-01", "");
    private static final List<String> WRONG_TYPES = List.of("42", "true", "null", "{}", "[]", "\"x\"", "[null]",
            "{\"a\": 1}", "-1", "\"\"", "\" \"", "[[]]");
    private static final List<String> UNKNOWN_FIELDS = List.of("extra", "__proto__", "constructor", "x".repeat(300),
            "", "mrn ", "\u0000", "@type", "class");
    private static final List<String> ROOTS = List.of("", "null", "[]", "42", "\"x\"", "{", "}", "{}", "[{}]",
            "\u0000", "{\"a\":}", "{'a': 1}", "{\"a\" 1}", "\ufeff{}", "{}{}", "[1,]", "{\"a\":1,}");
    private static final List<String> VALUES = List.of(
            "{\"components\": [{\"code\": {\"system\": \"s\", \"code\": \"c\"}, \"value\": {\"components\": [{\"code\":"
                    + " {\"system\": \"s\", \"code\": \"c\"}, \"value\": {\"boolean\": true}}]}}]}",
            "{\"components\": [" + String.join(",", Collections.nCopies(21, "{\"code\": {\"system\": \"s\", \"code\":"
                    + " \"c\"}, \"value\": {\"boolean\": true}}")) + "]}",
            "{\"components\": []}", "{\"components\": [null]}", "{\"quantity\": {\"value\": \"7\", \"unit\": \"/min\"}}",
            "{\"quantity\": {\"value\": 7, \"unit\": \"\"}}", "{\"quantity\": {\"value\": 7}}",
            "{\"quantity\": {\"value\": 1e10000, \"unit\": \"/min\"}}", "{\"string\": \"\"}",
            "{\"string\": \"a\", \"boolean\": true}", "{\"code\": {\"code\": \"c\"}}", "{\"boolean\": \"yes\"}",
            "{\"code\": {\"system\": \"s\", \"code\": \"c\", \"extra\": 1}}", "{\"unknown\": 1}",
            "{\"quantity\": {\"value\": 7, \"unit\": \"/min\", \"unit\": \"kg\"}}", "{}",
            "{\"string\": \"" + "s".repeat(4001) + "\"}", "{\"quantity\": {\"value\": 0.0000001, \"unit\": \"/min\"}}");

    private HostileBodies() {
    }

    /** One hostile request against one of the templates; no edge cases, so the endpoints get even shares. */
    static Arbitrary<Request> requests(List<Template> templates, List<String> otherIds) {
        Arbitrary<Integer> where = Arbitraries.integers().between(0, 10_000);
        return Combinators.combine(Arbitraries.of(templates), Arbitraries.of(Mutation.class), where, where,
                        Arbitraries.of(otherIds))
                .as((template, mutation, at, choice, otherId) -> mutate(template, mutation, at, choice, otherId))
                .withoutEdgeCases();
    }

    private static Request mutate(Template t, Mutation mutation, int at, int choice, String otherId) {
        ObjectNode root = parse(t.body());
        String path = t.path();
        String body = switch (mutation) {
            case CONTROL_CHARACTER -> replaceText(root, at, text -> insert(text, pick(CONTROLS, choice), choice));
            case HUGE_STRING -> replaceText(root, at, text -> "h".repeat(pick(HUGE, choice)));
            case DEEP_NESTING -> raw(root, at, nested(pick(DEPTHS, choice), choice % 2 == 0));
            case EXTREME_NUMBER -> raw(root, at, pick(NUMBERS, choice));
            case EXTREME_DATE -> raw(root, at, "\"" + pick(DATES, choice) + "\"");
            case WRONG_TYPE -> raw(root, at, pick(WRONG_TYPES, choice));
            case NULL_IN_ARRAY -> nullInArray(root, at, choice);
            case LONG_ARRAY -> longArray(root, at, choice);
            case UNKNOWN_FIELD -> unknownField(root, at, pick(UNKNOWN_FIELDS, choice));
            case DUPLICATE_KEY -> duplicateKey(root, at, choice);
            case MISSING_FIELD -> missingField(root, at);
            case TRUNCATED -> t.body().substring(0, at % Math.max(1, t.body().length()));
            case ODD_ROOT -> pick(ROOTS, choice);
            case WRONG_KIND_ID -> {
                if (choice % 2 == 0 && path.matches(".*/[0-9a-f-]{36}/[a-z-]+$")) {
                    path = path.replaceFirst("[0-9a-f-]{36}", otherId);
                    yield t.body();
                }
                yield replaceIds(root, at, otherId);
            }
            case HOSTILE_VALUE -> hostileValue(root, at, choice);
        };
        return new Request(t.endpoint(), t.method(), path, t.token(), body, mutation.name());
    }

    private static String insert(String text, String inserted, int choice) {
        int at = text.isEmpty() ? 0 : choice % (text.length() + 1);
        return text.substring(0, at) + inserted + text.substring(at);
    }

    private static String nested(int depth, boolean arrays) {
        return arrays ? "[".repeat(depth) + "]".repeat(depth) : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    private static <T> T pick(List<T> values, int choice) {
        return values.get(choice % values.size());
    }

    /** Every node of the tree (containers and values) with its parent, in document order. */
    private record Slot(JsonNode parent, String field, int index, JsonNode node) {
    }

    private static List<Slot> slots(JsonNode node) {
        List<Slot> slots = new ArrayList<>();
        collect(node, slots);
        return slots;
    }

    private static void collect(JsonNode node, List<Slot> slots) {
        if (node instanceof ObjectNode object) {
            object.properties().forEach(e -> {
                slots.add(new Slot(object, e.getKey(), -1, e.getValue()));
                collect(e.getValue(), slots);
            });
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                slots.add(new Slot(array, null, i, array.get(i)));
                collect(array.get(i), slots);
            }
        }
    }

    private static void set(Slot slot, JsonNode value) {
        if (slot.parent() instanceof ObjectNode object) {
            object.set(slot.field(), value);
        } else {
            ((ArrayNode) slot.parent()).set(slot.index(), value);
        }
    }

    private static String replaceText(ObjectNode root, int at, java.util.function.UnaryOperator<String> change) {
        List<Slot> texts = slots(root).stream().filter(s -> s.node().isTextual()).toList();
        if (texts.isEmpty()) {
            return write(root);
        }
        Slot slot = texts.get(at % texts.size());
        set(slot, TextNode.valueOf(change.apply(slot.node().asText())));
        return write(root);
    }

    /** The node at {@code at} replaced by raw JSON text (which may be invalid on purpose). */
    private static String raw(ObjectNode root, int at, String rawJson) {
        List<Slot> slots = slots(root);
        set(slots.get(at % slots.size()), TextNode.valueOf(RAW));
        return write(root).replace("\"" + RAW + "\"", rawJson);
    }

    private static String nullInArray(ObjectNode root, int at, int choice) {
        List<Slot> arrays = slots(root).stream().filter(s -> s.node().isArray()).toList();
        if (arrays.isEmpty()) {
            return raw(root, at, "[null]");
        }
        ArrayNode array = (ArrayNode) arrays.get(at % arrays.size()).node();
        array.insertNull(choice % (array.size() + 1));
        return write(root);
    }

    private static String longArray(ObjectNode root, int at, int choice) {
        List<Slot> arrays = slots(root).stream().filter(s -> s.node().isArray() && !s.node().isEmpty()).toList();
        if (arrays.isEmpty()) {
            return raw(root, at, "[" + String.join(",", Collections.nCopies(30, "\"x\"")) + "]");
        }
        ArrayNode array = (ArrayNode) arrays.get(at % arrays.size()).node();
        JsonNode first = array.get(0);
        int copies = List.of(11, 21, 25, 1_001, 2_000).get(choice % 5);
        while (array.size() < copies) {
            array.add(first.deepCopy());
        }
        return write(root);
    }

    private static List<ObjectNode> objects(ObjectNode root) {
        List<ObjectNode> objects = new ArrayList<>(List.of(root));
        slots(root).stream().filter(s -> s.node() instanceof ObjectNode).forEach(s -> objects.add((ObjectNode) s.node()));
        return objects;
    }

    private static String unknownField(ObjectNode root, int at, String name) {
        List<ObjectNode> objects = objects(root);
        objects.get(at % objects.size()).put(name, 1);
        return write(root);
    }

    private static String duplicateKey(ObjectNode root, int at, int choice) {
        List<ObjectNode> objects = objects(root).stream().filter(o -> !o.isEmpty()).toList();
        ObjectNode object = objects.get(at % objects.size());
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        String name = names.get(choice % names.size());
        object.set(DUPLICATE, object.get(name).deepCopy());
        return write(root).replace("\"" + DUPLICATE + "\"", JSON.valueToTree(name).toString());
    }

    private static String missingField(ObjectNode root, int at) {
        List<Slot> fields = slots(root).stream().filter(s -> s.field() != null).toList();
        Slot slot = fields.get(at % fields.size());
        ((ObjectNode) slot.parent()).remove(slot.field());
        return write(root);
    }

    private static String replaceIds(ObjectNode root, int at, String otherId) {
        List<Slot> ids = slots(root).stream().filter(s -> s.node().isTextual()
                && s.node().asText().matches("[0-9a-f-]{36}")).toList();
        if (ids.isEmpty()) {
            return raw(root, at, "\"" + otherId + "\"");
        }
        set(ids.get(at % ids.size()), TextNode.valueOf(otherId));
        return write(root);
    }

    private static String hostileValue(ObjectNode root, int at, int choice) {
        List<Slot> values = slots(root).stream().filter(s -> "value".equals(s.field()) && s.node().isObject()).toList();
        if (values.isEmpty()) {
            return raw(root, at, pick(VALUES, choice));
        }
        set(values.get(at % values.size()), TextNode.valueOf(RAW));
        return write(root).replace("\"" + RAW + "\"", pick(VALUES, choice));
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Non-ASCII escaped as {@code \\uXXXX}, so that lone surrogates reach the server as written. */
    private static String write(JsonNode node) {
        try {
            return ESCAPING.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
