package org.clinical.infra.web;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where the next page of a keyset-paginated list starts: the sort key of the last item given, its parts joined
 * by {@code |} and base64url-encoded, opaque to clients. Only the last part may hold a {@code |}. A cursor that
 * does not read back as the parts its list expects answers 400 on {@code cursor}.
 */
public final class Cursor {

    private Cursor() {
    }

    /** The cursor after an item with this sort key; a boolean part is written {@code 1} or {@code 0}. */
    public static String after(Object... sortKey) {
        String text = Arrays.stream(sortKey)
                .map(part -> part instanceof Boolean flag ? (flag ? "1" : "0") : String.valueOf(part))
                .collect(Collectors.joining("|"));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param parts how many parts the sort key has
     * @param read  makes the list's sort key of the parts, read in order
     * @return null when there is no cursor: the first page
     */
    public static <T> T read(String cursor, int parts, Function<Parts, T> read) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw notACursor();
        }
        // a forged cursor must not carry what PostgreSQL text refuses (NUL) into a query
        if (decoded.indexOf('\u0000') >= 0) {
            throw notACursor();
        }
        return read.apply(new Parts(decoded.split("\\|", parts)));
    }

    private static BadRequestException notACursor() {
        return new BadRequestException("cursor", "is not a cursor returned by this list");
    }

    /** The parts of a cursor, read in order; one missing or not of the type read answers 400. */
    public static final class Parts {

        private final String[] parts;
        private int next;

        private Parts(String[] parts) {
            this.parts = parts;
        }

        public String text() {
            if (next >= parts.length) {
                throw notACursor();
            }
            return parts[next++];
        }

        public UUID uuid() {
            return parse(UUID::fromString);
        }

        public Instant instant() {
            return parse(Instant::parse);
        }

        public LocalDate day() {
            return parse(LocalDate::parse);
        }

        public long number() {
            return parse(Long::parseLong);
        }

        public boolean flag() {
            return switch (text()) {
                case "1" -> true;
                case "0" -> false;
                default -> throw notACursor();
            };
        }

        private <T> T parse(Function<String, T> parser) {
            String text = text();
            try {
                return parser.apply(text);
            } catch (IllegalArgumentException | DateTimeException e) {
                throw notACursor();
            }
        }
    }
}
