package org.clinical.command.encounter;

import org.clinical.events.encounter.EncounterClass;
import org.clinical.events.encounter.EncounterId;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.patient.PatientId;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The encounter registry as a map. Like the table's partial unique index, it refuses a second open
 * inpatient stay of a patient, so a handler that forgot to check first would fail loudly.
 */
public class InMemoryEncounterRegistry implements EncounterRegistry {

    public record Row(PatientId patientId, FacilityId facilityId, EncounterClass encounterClass,
                      EncounterStatus status) {

        boolean isOpenInpatientStay() {
            return encounterClass == EncounterClass.IMP && status == EncounterStatus.IN_PROGRESS;
        }
    }

    private final Map<EncounterId, Row> encounters = new HashMap<>();

    @Override
    public boolean hasOpenInpatientStay(PatientId patientId) {
        return encounters.values().stream().anyMatch(e -> e.patientId().equals(patientId) && e.isOpenInpatientStay());
    }

    @Override
    public void add(EncounterId encounterId, PatientId patientId, FacilityId facilityId,
                    EncounterClass encounterClass) {
        put(encounterId, new Row(patientId, facilityId, encounterClass, EncounterStatus.IN_PROGRESS));
    }

    @Override
    public void changeStatus(EncounterId encounterId, EncounterStatus status) {
        encounters.computeIfPresent(encounterId,
                (id, row) -> new Row(row.patientId(), row.facilityId(), row.encounterClass(), status));
    }

    /** An encounter known before the test, as its {@code EncounterStarted} (and what followed) left it. */
    public InMemoryEncounterRegistry with(EncounterId encounterId, PatientId patientId, FacilityId facilityId,
                                          EncounterClass encounterClass, EncounterStatus status) {
        put(encounterId, new Row(patientId, facilityId, encounterClass, status));
        return this;
    }

    public Optional<Row> get(EncounterId encounterId) {
        return Optional.ofNullable(encounters.get(encounterId));
    }

    public Optional<EncounterStatus> statusOf(EncounterId encounterId) {
        return get(encounterId).map(Row::status);
    }

    public int size() {
        return encounters.size();
    }

    private void put(EncounterId encounterId, Row row) {
        if (encounters.containsKey(encounterId)) {
            throw new IllegalStateException("duplicate key: encounter " + encounterId);
        }
        if (row.isOpenInpatientStay() && hasOpenInpatientStay(row.patientId())) {
            throw new IllegalStateException("unique index: a second open inpatient stay for " + row.patientId());
        }
        encounters.put(encounterId, row);
    }
}
