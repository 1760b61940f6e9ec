package org.clinical.query.audit;

import org.clinical.infra.web.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** A read whose access-log entry is not durable is never answered: 503 problem+json, retry shortly. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class AccessLogProblems {

    @ExceptionHandler(AccessLogUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(AccessLogUnavailableException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "2")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "access-log-unavailable", "Access log unavailable",
                        "The read could not be recorded in the access log in time, so it is not answered; retry"
                                + " shortly"));
    }
}
