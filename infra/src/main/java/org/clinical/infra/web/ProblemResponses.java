package org.clinical.infra.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import org.axonframework.eventsourcing.IncompatibleAggregateException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.clinical.events.common.ErrorCode;
import org.clinical.events.common.RuleViolation;
import org.clinical.infra.eventstore.DuplicateKeyResolver;
import org.clinical.infra.tenant.UnknownTenantException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import java.util.List;

/**
 * The one place where failures become answers: rule violations by their {@link ErrorCode} kind, validation
 * errors with their fields, stale versions as 412, races as 409, unknown tenants as 404.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ProblemResponses {


    @ExceptionHandler(RuleViolation.class)
    ProblemDetail ruleViolation(RuleViolation e) {
        return Problems.of(statusOf(e.code().kind()), e.code().slug(), titleOf(e.code()), e.getMessage());
    }

    @ExceptionHandler(BadRequestException.class)
    ProblemDetail badRequest(BadRequestException e) {
        return Problems.invalid(e.getMessage(), e.errors());
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ProblemDetail invalidBody(MethodArgumentNotValidException e) {
        List<Problems.FieldError> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> new Problems.FieldError(f.getField(), f.getDefaultMessage())).toList();
        return Problems.invalid("The request body has " + errors.size() + " invalid field(s)", errors);
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ProblemDetail invalidParameters(HandlerMethodValidationException e) {
        List<Problems.FieldError> errors = e.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream().map(err -> new Problems.FieldError(
                        r.getMethodParameter().getParameterName(), err.getDefaultMessage()))).toList();
        return Problems.invalid("Invalid request parameters", errors);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ProblemDetail invalidConstraints(ConstraintViolationException e) {
        List<Problems.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problems.FieldError(v.getPropertyPath().toString(), v.getMessage())).toList();
        return Problems.invalid("Invalid request", errors);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    Object unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        if (RequestBodyLimit.isCause(e)) {
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(RequestBodyLimit.problem(request));
        }
        return UnreadableJson.problem(e);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        return Problems.invalid("Invalid request parameter",
                List.of(new Problems.FieldError(e.getName(), "invalid value '" + e.getValue() + "'")));
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ProblemDetail missingHeader(MissingRequestHeaderException e) {
        return Problems.invalid("Missing header", List.of(new Problems.FieldError(e.getHeaderName(), "required")));
    }

    @ExceptionHandler(UnknownTenantException.class)
    ProblemDetail unknownTenant(UnknownTenantException e) {
        return Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found", "No such resource");
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
    }

    @ExceptionHandler(ConflictException.class)
    ProblemDetail conflict(ConflictException e) {
        return Problems.of(HttpStatus.CONFLICT, e.slug(), "Conflict", e.getMessage());
    }

    /** Read-your-writes could not be honoured within the wait: the client retries after a second. */
    @ExceptionHandler(ProjectionsBehindException.class)
    org.springframework.http.ResponseEntity<ProblemDetail> behind(ProjectionsBehindException e) {
        return org.springframework.http.ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(org.springframework.http.HttpHeaders.RETRY_AFTER, "1")
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "projections-behind", "Read models behind",
                        e.getMessage()));
    }

    /** A read ran into the query timeout: it holds no connection longer, and says so. */
    @ExceptionHandler(org.springframework.dao.QueryTimeoutException.class)
    org.springframework.http.ResponseEntity<ProblemDetail> queryTimeout(org.springframework.dao.QueryTimeoutException e) {
        return org.springframework.http.ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(org.springframework.http.HttpHeaders.RETRY_AFTER, "5")
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "query-timeout", "Query timeout",
                        "The query ran longer than the query timeout; narrow it (dates, codes) or retry"));
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ProblemDetail aggregateNotFound(AggregateNotFoundException e) {
        return Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found",
                "No such record: " + e.getAggregateIdentifier());
    }

    /**
     * An id of another kind of record (a patient id where an encounter id belongs): Axon finds its events
     * in the tenant's one event store but they do not make an aggregate of the type asked for.
     */
    @ExceptionHandler(IncompatibleAggregateException.class)
    ProblemDetail wrongKindOfRecord(IncompatibleAggregateException e) {
        return Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found", "No such record");
    }

    @ExceptionHandler(ConflictingAggregateVersionException.class)
    ProblemDetail staleVersion(ConflictingAggregateVersionException e) {
        return Problems.of(HttpStatus.PRECONDITION_FAILED, ErrorCode.STALE_VERSION.slug(), "Stale version",
                "The record has changed since version " + RecordVersion.fromSequence(e.getExpectedVersion())
                        + "; it is now at version " + RecordVersion.fromSequence(e.getActualVersion()));
    }

    @ExceptionHandler(ConcurrencyException.class)
    ProblemDetail concurrency(ConcurrencyException e) {
        return concurrentModification();
    }

    private static ProblemDetail concurrentModification() {
        return Problems.of(HttpStatus.CONFLICT, ErrorCode.CONCURRENT_MODIFICATION.slug(), "Concurrent modification",
                "The record was changed by a concurrent request; read it again and retry");
    }

    @ExceptionHandler(org.springframework.dao.DataIntegrityViolationException.class)
    Object integrity(org.springframework.dao.DataIntegrityViolationException e) {
        if (DuplicateKeyResolver.isDuplicateKey(e)) {
            return concurrentModification();
        }
        return UnexpectedFailures.answer(e);
    }

    /** Lost a lock race (deadlock victim, lock timeout): the client may simply retry. */
    @ExceptionHandler(org.springframework.dao.PessimisticLockingFailureException.class)
    ProblemDetail lockConflict(org.springframework.dao.PessimisticLockingFailureException e) {
        return concurrentModification();
    }

    @ExceptionHandler(IdempotencyKeyReusedException.class)
    ProblemDetail idempotencyKeyReused(IdempotencyKeyReusedException e) {
        return Problems.of(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency-key-reused", "Idempotency-Key reused",
                e.getMessage());
    }

    @ExceptionHandler({AccessDeniedException.class, AuthorizationDeniedException.class})
    ProblemDetail forbidden(RuntimeException e) {
        return Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                "Your roles do not allow this request");
    }

    static HttpStatus statusOf(ErrorCode.Kind kind) {
        return switch (kind) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case PRECONDITION_FAILED -> HttpStatus.PRECONDITION_FAILED;
        };
    }

    private static String titleOf(ErrorCode code) {
        String words = code.name().toLowerCase().replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
