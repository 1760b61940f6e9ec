package org.clinical.infra.web;

import java.util.List;

/** A request refused before it reaches the write model (a bad header, a time in the future...). */
public class BadRequestException extends RuntimeException {

    private final List<Problems.FieldError> errors;

    public BadRequestException(String field, String message) {
        super(field + ": " + message, null, false, false);
        this.errors = List.of(new Problems.FieldError(field, message));
    }

    public BadRequestException(List<Problems.FieldError> errors) {
        super(errors.size() + " invalid field(s)", null, false, false);
        this.errors = List.copyOf(errors);
    }

    public List<Problems.FieldError> errors() {
        return errors;
    }
}
