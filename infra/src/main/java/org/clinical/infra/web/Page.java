package org.clinical.infra.web;

import java.util.List;
import java.util.function.Function;

/**
 * A page of a cursor-paginated list: {@code {"items": [...], "nextCursor": "..." | null}}. The cursor is the
 * {@link Cursor} after the last item, so pages stay stable while rows are added.
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

    /**
     * @param rows        up to {@code limit + 1} rows: one more than a page tells whether there is a next one
     * @param cursorAfter the {@link Cursor#after} an item
     */
    public static <T> Page<T> of(List<T> rows, int limit, Function<T, String> cursorAfter) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, limit);
        return new Page<>(List.copyOf(items), cursorAfter.apply(items.get(limit - 1)));
    }
}
