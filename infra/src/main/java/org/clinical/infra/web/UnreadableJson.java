package org.clinical.infra.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A body that could not be read as its request type, as a 400 naming the field where it can: a value of the
 * wrong type or format, an unknown field, a duplicate key ({@code STRICT_DUPLICATE_DETECTION}), a JSON limit
 * exceeded (nesting, number or string length: {@code StreamReadConstraints}), or JSON that does not parse.
 * Values are quoted back shortened, never whole.
 */
final class UnreadableJson {

    private static final int QUOTED = 40;
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");

    private UnreadableJson() {
    }

    static ProblemDetail problem(HttpMessageNotReadableException e) {
        StreamConstraintsException limit = find(e, StreamConstraintsException.class);
        if (limit != null) {
            return Problems.invalid("The request body exceeds a JSON limit: " + limit.getOriginalMessage(),
                    List.of());
        }
        JsonParseException parse = find(e, JsonParseException.class);
        if (parse != null && parse.getOriginalMessage() != null
                && parse.getOriginalMessage().startsWith("Duplicate field")) {
            return Problems.invalid("The request body has a duplicate field",
                    List.of(new Problems.FieldError(duplicatePath(parse), "duplicate field")));
        }
        if (parse == null && e.getCause() instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String message = mapping instanceof UnrecognizedPropertyException ? "unknown field"
                    : mapping instanceof InvalidFormatException format
                    ? "invalid value '" + shortened(String.valueOf(format.getValue())) + "'"
                    : shortened(mapping.getOriginalMessage());
            return Problems.invalid("The request body has an invalid field",
                    List.of(new Problems.FieldError(path(mapping), message)));
        }
        return Problems.invalid("The request body is not valid JSON", List.of());
    }

    private static String path(JsonMappingException mapping) {
        return mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** The duplicate key's path: the enclosing fields from the parser's context, and the key the message names. */
    private static String duplicatePath(JsonParseException e) {
        Matcher name = DUPLICATE.matcher(e.getOriginalMessage());
        String key = name.find() ? name.group(1) : "";
        if (!(e.getProcessor() instanceof JsonParser parser) || parser.getParsingContext() == null) {
            return key;
        }
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = parser.getParsingContext().getParent(); c != null && !c.inRoot();
             c = c.getParent()) {
            parts.push(c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
        }
        String path = String.join("", parts) + "." + shortened(key);
        return path.startsWith(".") ? path.substring(1) : path;
    }

    private static String shortened(String text) {
        if (text == null) {
            return "invalid value";
        }
        return text.length() <= QUOTED ? text : text.substring(0, QUOTED) + "...";
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
