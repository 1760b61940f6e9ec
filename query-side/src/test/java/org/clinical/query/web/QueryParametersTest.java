package org.clinical.query.web;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.time.api.Dates;
import org.clinical.events.encounter.EncounterClass;
import org.clinical.infra.web.BadRequestException;
import org.clinical.infra.web.Problems.FieldError;
import org.clinical.query.web.QueryParameters.CodeFilter;
import org.clinical.query.web.QueryParameters.Days;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The query side's HTTP edge for parameters: every value a client may send is read as the type the slices
 * take, and every other value is refused as a 400 naming the parameter, before any read model is touched.
 */
class QueryParametersTest {

    @Test
    void a_uuid_is_read_and_anything_else_names_its_parameter() {
        UUID id = UUID.randomUUID();
        assertThat(QueryParameters.uuid("facilityId", id.toString())).isEqualTo(id);
        assertRefused(() -> QueryParameters.uuid("facilityId", "ward-7"), "facilityId", "must be a UUID");
    }

    @Test
    void an_encounter_class_is_one_of_the_contract_codes() {
        assertThat(QueryParameters.encounterClass("class", "IMP")).isEqualTo(EncounterClass.IMP);
        assertRefused(() -> QueryParameters.encounterClass("class", "imp"), "class",
                "must be one of [AMB, EMER, IMP, VR, HH]");
    }

    @Test
    void an_instant_needs_its_offset_and_an_absent_one_is_null() {
        assertThat(QueryParameters.instant("from", "2025-03-01T08:15:00+01:00"))
                .isEqualTo(Instant.parse("2025-03-01T07:15:00Z"));
        assertThat(QueryParameters.instant("from", null)).isNull();
        assertThat(QueryParameters.instant("from", " ")).isNull();
        assertRefused(() -> QueryParameters.instant("from", "2025-03-01T08:15:00"), "from",
                "must be an ISO-8601 instant with offset, e.g. 2025-03-01T08:15:00Z");
    }

    @Property
    void every_four_digit_year_day_reads_back_as_itself(@ForAll("days") LocalDate day) {
        assertThat(QueryParameters.day("from", day.toString())).isEqualTo(day);
        assertThat(Days.of(day.toString(), day.toString())).isEqualTo(new Days(day, day));
    }

    @Property
    void a_range_of_days_may_not_run_backwards(@ForAll("days") LocalDate from,
                                               @ForAll @IntRange(min = 1, max = 400) int back) {
        String to = from.minusDays(back).toString();
        assertRefused(() -> Days.of(from.toString(), to), "to", "must not be before from");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-02-30", "2025-13-01", "25-03-01", "+2025-03-01", "2025-3-1", "12025-03-01",
            "2025-03-01T00:00:00Z", "yesterday"})
    void a_day_that_is_not_a_four_digit_year_date_is_refused(String value) {
        assertRefused(() -> Days.of(value, "2025-03-01"), "from", "must be a date YYYY-MM-DD");
    }

    @Test
    void both_ends_of_a_range_of_days_are_required() {
        assertRefused(() -> Days.of(null, "2025-03-01"), "from", "is required (YYYY-MM-DD)");
        assertRefused(() -> Days.of("2025-03-01", ""), "to", "is required (YYYY-MM-DD)");
    }

    @Test
    void a_code_filter_is_system_and_code_or_a_bare_code() {
        assertThat(CodeFilter.parse("code", "http://loinc.org|8867-4", true))
                .isEqualTo(new CodeFilter("http://loinc.org", "8867-4"));
        assertThat(CodeFilter.parse("code", "8867-4", true)).isEqualTo(new CodeFilter(null, "8867-4"));
        assertThat(CodeFilter.parse("code", null, false)).isNull();
        assertRefused(() -> CodeFilter.parse("code", null, true), "code", "is required (system|code, or a bare code)");
        assertRefused(() -> CodeFilter.parse("code", "http://loinc.org|", true), "code",
                "must be system|code or a bare code");
        assertRefused(() -> CodeFilter.parse("code", "|8867-4", true), "code", "must be system|code or a bare code");
    }

    @Provide
    Arbitrary<LocalDate> days() {
        return Dates.dates().between(LocalDate.of(1002, 1, 1), LocalDate.of(9999, 12, 31));
    }

    private static void assertRefused(Runnable parse, String field, String message) {
        BadRequestException refused = catchThrowableOfType(BadRequestException.class, parse::run);
        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.errors()).containsExactly(new FieldError(field, message));
    }
}
