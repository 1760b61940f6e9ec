package org.clinical.events.common;

/**
 * Every business rejection the write model can give, with the kind of answer it deserves. The HTTP layer
 * maps {@link Kind} to a status in one place; the code itself is published in the problem's {@code type}.
 */
public enum ErrorCode {
    TENANT_EXISTS(Kind.CONFLICT),
    FACILITY_CODE_TAKEN(Kind.CONFLICT),
    FACILITY_NOT_FOUND(Kind.NOT_FOUND),
    MRN_TAKEN(Kind.CONFLICT),
    PATIENT_NOT_FOUND(Kind.NOT_FOUND),
    PATIENT_MERGED(Kind.CONFLICT),
    PATIENT_DECEASED(Kind.CONFLICT),
    CANNOT_MERGE_INTO_ITSELF(Kind.CONFLICT),
    SURVIVOR_NOT_ACTIVE(Kind.CONFLICT),
    ALREADY_INPATIENT(Kind.CONFLICT),
    ENCOUNTER_NOT_FOUND(Kind.NOT_FOUND),
    ENCOUNTER_NOT_IN_PROGRESS(Kind.CONFLICT),
    ENCOUNTER_FINISHED(Kind.CONFLICT),
    ENCOUNTER_CANCELLED(Kind.CONFLICT),
    ENCOUNTER_OF_ANOTHER_PATIENT(Kind.CONFLICT),
    DISCHARGE_BEFORE_START(Kind.INVALID),
    TRANSFER_BEFORE_START(Kind.INVALID),
    TRANSFER_BEFORE_PREVIOUS_TRANSFER(Kind.INVALID),
    DISCHARGE_BEFORE_TRANSFER(Kind.INVALID),
    DEATH_BEFORE_BIRTH(Kind.INVALID),
    ENCOUNTER_ALREADY_CANCELLED(Kind.CONFLICT),
    INVALID_BATCH(Kind.INVALID),
    OBSERVATION_NOT_FOUND(Kind.NOT_FOUND),
    OBSERVATION_ENTERED_IN_ERROR(Kind.CONFLICT),
    REFERENCE_RANGE_NEEDS_QUANTITY(Kind.INVALID),
    STALE_VERSION(Kind.PRECONDITION_FAILED),
    CONCURRENT_MODIFICATION(Kind.CONFLICT);

    public enum Kind { INVALID, NOT_FOUND, CONFLICT, PRECONDITION_FAILED }

    private final Kind kind;

    ErrorCode(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The slug used in problem types, e.g. {@code mrn-taken}. */
    public String slug() {
        return name().toLowerCase().replace('_', '-');
    }
}
