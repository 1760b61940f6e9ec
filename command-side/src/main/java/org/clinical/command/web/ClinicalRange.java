package org.clinical.command.web;

/** Descriptions of the clinical range of dates and instants, for the OpenAPI description ({@link EdgeClock}). */
public final class ClinicalRange {

    public static final String DATE = "A date from 1800-01-01 to today (UTC); earlier or later: 400";
    public static final String INSTANT = "An instant from 1800-01-01T00:00:00Z to 5 minutes from now; earlier or"
            + " later: 400";

    private ClinicalRange() {
    }
}
