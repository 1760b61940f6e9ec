package org.clinical.events.common;

/** A command refused by a named business rule; {@code detail} is written for a person. */
public class RuleViolation extends RuntimeException {

    private final ErrorCode code;

    public RuleViolation(ErrorCode code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
