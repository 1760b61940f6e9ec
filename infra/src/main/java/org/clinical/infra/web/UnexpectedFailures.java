package org.clinical.infra.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * The answer to a failure nothing else explains: 503 with {@code Retry-After} when the database cannot be
 * reached, else 500 with a generic detail, its stack trace logged with the correlation id but without any
 * exception message ({@link SafeTrace}).
 */
public final class UnexpectedFailures {

    public static final String RETRY_AFTER_SECONDS = "2";
    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedFailures.class);

    private UnexpectedFailures() {
    }

    public static ResponseEntity<ProblemDetail> answer(Throwable failure) {
        if (DatabaseUnavailable.isCause(failure)) {
            LOG.warn("Database unavailable (correlationId {}): {}", MDC.get(CorrelationIdFilter.MDC_KEY),
                    SafeTrace.chain(failure));
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(databaseUnavailable());
        }
        LOG.error("Unexpected failure (correlationId {})\n{}", MDC.get(CorrelationIdFilter.MDC_KEY),
                SafeTrace.of(failure));
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                        "The request failed unexpectedly; quote the correlationId when reporting it"));
    }

    public static ProblemDetail databaseUnavailable() {
        return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable", "Database unavailable",
                "The database cannot be reached right now; retry after the Retry-After delay");
    }
}
