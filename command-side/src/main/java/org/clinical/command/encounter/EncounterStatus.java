package org.clinical.command.encounter;

public enum EncounterStatus {
    IN_PROGRESS, FINISHED, CANCELLED;

    public String code() {
        return name().toLowerCase().replace('_', '-');
    }

    public static EncounterStatus ofCode(String code) {
        return valueOf(code.toUpperCase().replace('-', '_'));
    }
}
