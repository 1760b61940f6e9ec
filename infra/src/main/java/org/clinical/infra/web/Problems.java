package org.clinical.infra.web;

import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import java.net.URI;
import java.util.List;

/**
 * Problem details (RFC 9457) of this platform: {@code type} is {@code urn:clinical:problem:<slug>}, and every
 * problem carries the request's {@code correlationId} (the {@code X-Correlation-Id} response header).
 */
public final class Problems {

    public static final String CORRELATION_ID = "correlationId";

    private Problems() {
    }

    public static ProblemDetail of(HttpStatus status, String slug, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("urn:clinical:problem:" + slug));
        problem.setTitle(title);
        return correlated(problem, MDC.get(CorrelationIdFilter.MDC_KEY));
    }

    public static ProblemDetail invalid(String detail, List<FieldError> errors) {
        ProblemDetail problem = of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail);
        problem.setProperty("errors", errors);
        return problem;
    }

    /** The problem with the request's correlation id, unless it has one or there is none. */
    public static ProblemDetail correlated(ProblemDetail problem, String correlationId) {
        if (correlationId != null && (problem.getProperties() == null
                || !problem.getProperties().containsKey(CORRELATION_ID))) {
            problem.setProperty(CORRELATION_ID, correlationId);
        }
        return problem;
    }

    public record FieldError(String field, String message) {
    }
}
