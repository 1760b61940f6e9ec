package org.clinical.infra.web;


import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * A page of a cursor-paginated list: {@code {"items": [...], "nextCursor": "..." | null}}. The cursor is the
 * opaque (base64url) sort key of the last item, so pages stay stable while rows are added.
 */
public record Page<T>(List<T> items, String nextCursor) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public static int limit(Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        if (requested < 1 || requested > MAX_LIMIT) {
            throw new BadRequestException("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return requested;
    }

    public static String decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("cursor", "is not a cursor returned by this list");
        }
        // a forged cursor must not carry what PostgreSQL text refuses (NUL) into a query
        if (decoded.indexOf('\u0000') >= 0) {
            throw new BadRequestException("cursor", "is not a cursor returned by this list");
        }
        return decoded;
    }

    /** @param rows up to {@code limit + 1} rows: one more than a page tells whether there is a next one */
    public static <T> Page<T> of(List<T> rows, int limit, Function<T, String> sortKey) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, limit);
        return new Page<>(List.copyOf(items), cursor(sortKey.apply(items.get(limit - 1))));
    }

    /** The cursor of the page that starts after the item with this sort key. */
    public static String cursor(String sortKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sortKey.getBytes(StandardCharsets.UTF_8));
    }
}
