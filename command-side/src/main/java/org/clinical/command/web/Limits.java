package org.clinical.command.web;

/**
 * The documented maxima of command bodies, in one place (characters for text, entries for lists). They show
 * in the OpenAPI description through the {@code @Size} and {@code @Digits} constraints that use them, and
 * in the "Limits" section of docs/operations.md.
 */
public final class Limits {

    /** Family and given names, facility and tenant names. */
    public static final int NAME = 200;
    public static final int GIVEN_NAMES = 10;
    /** MRNs, codes of a terminology, facility codes, categories. */
    public static final int CODE = 64;
    /** Terminology and identifier systems (URIs), identifier and telecom values. */
    public static final int URI = 255;
    /** Short words: telecom system and use, region ids, units. */
    public static final int WORD = 64;
    public static final int ADDRESS_LINE = 255;
    public static final int ADDRESS_LINES = 5;
    /** City, state, postal code, country; locations and dispositions. */
    public static final int PLACE = 100;
    /** Identifiers and telecom entries of a patient. */
    public static final int ENTRIES = 20;
    /** Reasons and display texts (free text). */
    public static final int REASON = 500;
    /** An observation's string value (free text). */
    public static final int STRING_VALUE = 4000;
    /** Components of a panel (a panel's components are not panels themselves). */
    public static final int COMPONENTS = 20;
    /** Quantities and reference range bounds: at most 12 digits before and 6 after the decimal point. */
    public static final int INTEGER_DIGITS = 12;
    public static final int FRACTION_DIGITS = 6;
    /** Beds of a facility. */
    public static final int BEDS = 100_000;

    private Limits() {
    }
}
