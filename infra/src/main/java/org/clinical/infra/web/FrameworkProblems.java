package org.clinical.infra.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Spring MVC's own failures (404 unknown route, 405, 406, 415, 400 for a malformed request...) as problem
 * details with the correlation id, and the last resort for anything no other handler explains
 * ({@link UnexpectedFailures}). It takes the place of Spring Boot's {@code ProblemDetailsExceptionHandler};
 * {@link ProblemResponses} answers first for the platform's own failures.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class FrameworkProblems extends ResponseEntityExceptionHandler {

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        return UnexpectedFailures.answer(e);
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
                                                          HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem && request instanceof NativeWebRequest web
                && web.getNativeRequest() instanceof HttpServletRequest servlet) {
            Problems.correlated(problem, CorrelationIdFilter.of(servlet));
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }
}
