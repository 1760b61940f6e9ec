package org.clinical.infra.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordVersionTest {

    @Test
    void a_record_with_one_event_is_at_version_1() {
        RecordVersion version = RecordVersion.fromSequence(0);

        assertThat(version.value()).isEqualTo(1);
        assertThat(version.sequence()).isZero();
        assertThat(version.etag()).isEqualTo("\"1\"");
        assertThat(RecordVersion.fromSequence(-1).value()).isZero();
    }

    @Test
    void if_match_takes_the_etag_quoted_weak_or_bare_and_absent_or_star_names_no_version() {
        assertThat(RecordVersion.parseIfMatch("\"3\"")).isEqualTo(RecordVersion.of(3));
        assertThat(RecordVersion.parseIfMatch(" W/\"3\" ")).isEqualTo(RecordVersion.of(3));
        assertThat(RecordVersion.parseIfMatch("3").sequence()).isEqualTo(2);
        assertThat(RecordVersion.parseIfMatch(null)).isNull();
        assertThat(RecordVersion.parseIfMatch(" ")).isNull();
        assertThat(RecordVersion.parseIfMatch("*")).isNull();
        assertThatThrownBy(() -> RecordVersion.parseIfMatch("\"0\"")).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> RecordVersion.parseIfMatch("abc")).isInstanceOf(BadRequestException.class);
    }

    @Test
    void in_json_a_version_is_a_bare_number() throws Exception {
        ObjectMapper json = new ObjectMapper();

        assertThat(json.writeValueAsString(RecordVersion.of(7))).isEqualTo("7");
        assertThat(json.readValue("7", RecordVersion.class)).isEqualTo(RecordVersion.of(7));
    }
}
