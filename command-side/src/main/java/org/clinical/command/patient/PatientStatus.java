package org.clinical.command.patient;

public enum PatientStatus {
    ACTIVE, MERGED, DECEASED;

    public String code() {
        return name().toLowerCase();
    }
}
