package org.clinical.infra.web;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CursorTest {

    private record Key(Instant at, UUID id, boolean flag, String rest) {
    }

    @Test
    void a_cursor_reads_back_as_the_parts_it_was_written_from_the_last_one_free_text() {
        Key key = new Key(Instant.parse("2025-03-01T08:15:00Z"), UUID.randomUUID(), true, "ward|3");

        String cursor = Cursor.after(key.at(), key.id(), key.flag(), key.rest());

        Key read = Cursor.read(cursor, 4, p -> new Key(p.instant(), p.uuid(), p.flag(), p.text()));

        assertThat(read).isEqualTo(key);
        assertThat(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8))
                .isEqualTo("2025-03-01T08:15:00Z|" + key.id() + "|1|ward|3");
    }

    @Test
    void no_cursor_is_the_first_page() {
        String none = Cursor.read(null, 1, Cursor.Parts::text);
        String empty = Cursor.read("", 1, Cursor.Parts::text);

        assertThat(none).isNull();
        assertThat(empty).isNull();
    }

    @Test
    void anything_else_is_refused_on_the_cursor_parameter() {
        for (String forged : List.of("not-base64!", Cursor.after("x"), Cursor.after("1"), Cursor.after("a\u0000b|x"))) {
            assertThatThrownBy(() -> Cursor.read(forged, 2, p -> List.of(p.number(), p.text())))
                    .isInstanceOfSatisfying(BadRequestException.class,
                            e -> assertThat(e.getMessage()).isEqualTo("cursor: is not a cursor returned by this list"));
        }
    }
}
