package org.clinical.infra.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;

/**
 * The servlet container's error page ({@code /error}): whatever failed outside Spring MVC (a filter, the
 * container itself, a body too large...) answers problem+json with the correlation id, never Spring Boot's
 * white-label page or its default JSON. The body is written here, whatever the request's {@code Accept}.
 */
@RestController
@RequestMapping("${server.error.path:${error.path:/error}}")
public class ProblemErrorController implements ErrorController {

    private final ObjectMapper mapper;

    public ProblemErrorController(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @RequestMapping
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String correlationId = CorrelationIdFilter.of(request);
        MDC.put(CorrelationIdFilter.MDC_KEY, correlationId);
        ResponseEntity<ProblemDetail> answer = answer(request);
        response.setStatus(answer.getStatusCode().value());
        response.setHeader(CorrelationIdFilter.HEADER, correlationId);
        answer.getHeaders().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        mapper.writeValue(response.getOutputStream(), Problems.correlated(answer.getBody(), correlationId));
    }

    private static ResponseEntity<ProblemDetail> answer(HttpServletRequest request) {
        Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (failure instanceof Throwable t && RequestBodyLimit.isCause(t)) {
            return of(RequestBodyLimit.problem(request));
        }
        if (failure instanceof Throwable t) {
            return UnexpectedFailures.answer(t);
        }
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer c ? HttpStatus.resolve(c) : HttpStatus.NOT_FOUND;
        if (status == null) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        if (status == HttpStatus.PAYLOAD_TOO_LARGE) {
            return of(RequestBodyLimit.problem(request));
        }
        if (status.is5xxServerError()) {
            return UnexpectedFailures.answer(new IllegalStateException("container error " + status.value()));
        }
        return of(Problems.of(status, slug(status), status.getReasonPhrase(), detail(status)));
    }

    private static ResponseEntity<ProblemDetail> of(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    private static String slug(HttpStatus status) {
        return status == HttpStatus.NOT_FOUND ? "not-found"
                : status.getReasonPhrase().toLowerCase().replaceAll("[^a-z0-9]+", "-");
    }

    private static String detail(HttpStatus status) {
        return status == HttpStatus.BAD_REQUEST ? "The request is malformed (URL, headers or body)"
                : "The request was answered " + status.value() + " " + status.getReasonPhrase();
    }
}
