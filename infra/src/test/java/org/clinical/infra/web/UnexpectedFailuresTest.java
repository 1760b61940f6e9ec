package org.clinical.infra.web;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class UnexpectedFailuresTest {

    @Test
    void a_trace_names_classes_sql_states_and_frames_but_never_a_message() {
        Exception failure = new IllegalStateException("patient Lovelace",
                new SQLException("Key (mrn)=(MRN-42) already exists", "23505"));

        String trace = SafeTrace.of(failure);

        assertThat(trace).contains("java.lang.IllegalStateException", "Caused by: java.sql.SQLException [SQLState 23505]",
                "\tat org.clinical.infra.web.UnexpectedFailuresTest");
        assertThat(trace).doesNotContain("Lovelace", "MRN-42");
    }

    @Test
    void an_unreachable_database_is_503_with_retry_after_and_anything_else_a_generic_500() {
        ResponseEntity<ProblemDetail> lost = UnexpectedFailures.answer(new DataIntegrityViolationException("x",
                new SQLException("terminating connection due to administrator command", "57P01")));
        ResponseEntity<ProblemDetail> noConnection = UnexpectedFailures.answer(
                new CannotGetJdbcConnectionException("no connection", new SQLException("refused", "08001")));
        ResponseEntity<ProblemDetail> other = UnexpectedFailures.answer(new IllegalStateException("value 7.2 of Ada"));

        assertThat(lost.getStatusCode().value()).isEqualTo(503);
        assertThat(lost.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
        assertThat(noConnection.getStatusCode().value()).isEqualTo(503);
        assertThat(other.getStatusCode().value()).isEqualTo(500);
        assertThat(other.getBody().getDetail()).doesNotContain("Ada");
        assertThat(other.getBody().getType().toString()).isEqualTo("urn:clinical:problem:internal-error");
    }
}
