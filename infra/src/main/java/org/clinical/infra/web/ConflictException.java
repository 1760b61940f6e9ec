package org.clinical.infra.web;

/** The request conflicts with the state of the resource (409), with a problem type slug. */
public class ConflictException extends RuntimeException {

    private final String slug;

    public ConflictException(String slug, String detail) {
        super(detail, null, false, false);
        this.slug = slug;
    }

    public String slug() {
        return slug;
    }
}
