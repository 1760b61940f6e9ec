package org.clinical.command.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrintableTextTest {

    @Test
    void single_lines_hold_no_control_character_lone_surrogate_or_non_character() {
        assertThat(PrintableText.isLine("Zoë O'Brien-Ñúñez 李 😀")).isTrue();
        for (String bad : new String[]{"a\u0000b", "a\tb", "a\nb", "a\rb", "\u001b[31m", "\u007f", "\u0085",
                "\u009f", "a\ud800", "\udc00a", "\ufffe", "\uffff", "\ufdd0", "\ud83f\udffe"}) {
            assertThat(PrintableText.isLine(bad)).as(bad.codePoints().boxed().toList().toString()).isFalse();
        }
    }

    @Test
    void free_text_also_holds_tab_and_line_breaks_but_nothing_else_of_the_controls() {
        assertThat(PrintableText.isText("clear,\r\n\tno odour")).isTrue();
        assertThat(PrintableText.isText("bell\u0007")).isFalse();
        assertThat(PrintableText.isText("nul\u0000")).isFalse();
        assertThat(PrintableText.isText(null)).isTrue();
    }
}
