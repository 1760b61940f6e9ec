package org.clinical.platform.contract;

/** What the contract table's fixtures build their data with: fresh records, through the API. */
interface Given {

    /**
     * The tenant of the row under test, in the {@code default} region: created once per row, shared by its rules
     * (each works on records of its own), as every tenant keeps its processors running until the test ends.
     */
    String tenant();

    /** A new tenant, for a listing that must hold nothing but its own items. */
    String freshTenant();

    /** An id no tenant has (it is never created). */
    String freeTenantId();

    String facility(String tenant);

    /** A new patient (version 1) with a unique MRN. */
    String patient(String tenant);

    /** A new open AMB encounter of the patient (version 1) in a new facility. */
    String encounter(String tenant, String patient);

    /** A new heart-rate observation of the patient (version 1). */
    String observation(String tenant, String patient);

    /** Sends the request body as the clinician; answers the new version of the record, from the answer. */
    long change(String path, String body);

    /** Sends a GET as the clinician and expects 200 (a read the access log records). */
    void read(String path);

    /** A unique MRN. */
    String mrn();

    /** A unique facility code. */
    String facilityCode();

    /** A valid observation body, as in {@code POST /observations}, for the patient, at the given day offset. */
    String observationBody(String patient, int daysAgo);

    /**
     * {@code count} dead letters of the {@code patients} projection in the tenant (registrations stored with a
     * NUL in the family name), once the projection has set them aside; answers their sequences (patient ids).
     */
    java.util.List<String> deadLetters(String tenant, int count);

    /** Waits until every projection of the tenant has applied every stored event. */
    void caughtUp(String tenant);
}
