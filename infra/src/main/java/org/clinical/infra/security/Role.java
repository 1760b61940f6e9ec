package org.clinical.infra.security;

/** The roles a token's {@code roles} claim may hold. */
public enum Role {
    CLINICIAN, ANALYST, AUDITOR, ADMIN;

    public String claim() {
        return name().toLowerCase();
    }

    /** The Spring Security authority of the role, e.g. {@code ROLE_clinician}. */
    public String authority() {
        return "ROLE_" + claim();
    }
}
