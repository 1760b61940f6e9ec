package org.clinical.infra.security;

/** The roles a token's {@code roles} claim may hold. */
public enum Role {
    CLINICIAN, ANALYST, AUDITOR, ADMIN;

    public String claim() {
        return name().toLowerCase();
    }
}
