package org.clinical.command.observation.jdbc;

import org.clinical.command.encounter.EncounterStatus;
import org.clinical.command.observation.ObservationSubjects;
import org.clinical.command.patient.PatientStatus;
import org.clinical.events.encounter.EncounterId;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.patient.PatientId;
import org.clinical.infra.tenant.TenantJdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** Patient status and encounter facts in one query per observation, or two per batch. */
public class JdbcObservationSubjects implements ObservationSubjects {

    private final TenantJdbc tenant;

    public JdbcObservationSubjects(TenantJdbc tenant) {
        this.tenant = tenant;
    }

    @Override
    public Subject lookup(PatientId patientId, EncounterId encounterId) {
        return tenant.jdbc().query("""
                        select p.status, e.patient_id, e.facility_id, e.status
                        from (select 1) one
                        left join %s p on p.patient_id = ?
                        left join %s e on e.encounter_id = ?""".formatted(
                        tenant.table("patient_registry"), tenant.table("encounter_registry")),
                (rs, i) -> new Subject(patientStatus(rs.getString(1)), encounterFacts(rs)),
                patientId.value(), encounterId == null ? null : encounterId.value()).get(0);
    }

    @Override
    public Map<Key, Subject> lookupAll(Collection<Key> keys) {
        UUID[] patientIds = keys.stream().map(k -> k.patientId().value()).distinct().toArray(UUID[]::new);
        UUID[] encounterIds = keys.stream().map(Key::encounterId).filter(Objects::nonNull)
                .map(EncounterId::value).distinct().toArray(UUID[]::new);
        Map<UUID, PatientStatus> patients = new HashMap<>();
        tenant.jdbc().query("select patient_id, status from " + tenant.table("patient_registry")
                        + " where patient_id = any (?)",
                rs -> {
                    patients.put(rs.getObject(1, UUID.class), patientStatus(rs.getString(2)));
                }, (Object) patientIds);
        Map<UUID, EncounterFacts> encounters = new HashMap<>();
        if (encounterIds.length > 0) {
            tenant.jdbc().query("select encounter_id, patient_id, facility_id, status from "
                            + tenant.table("encounter_registry") + " where encounter_id = any (?)",
                    rs -> {
                        encounters.put(rs.getObject(1, UUID.class), new EncounterFacts(
                                new PatientId(rs.getObject(2, UUID.class)), new FacilityId(rs.getObject(3, UUID.class)),
                                EncounterStatus.ofCode(rs.getString(4))));
                    }, (Object) encounterIds);
        }
        Map<Key, Subject> subjects = new HashMap<>();
        for (Key key : keys) {
            subjects.put(key, new Subject(patients.get(key.patientId().value()),
                    key.encounterId() == null ? null : encounters.get(key.encounterId().value())));
        }
        return subjects;
    }

    private static PatientStatus patientStatus(String status) {
        return status == null ? null : PatientStatus.valueOf(status.toUpperCase());
    }

    private static EncounterFacts encounterFacts(ResultSet rs) throws SQLException {
        UUID patientId = rs.getObject(2, UUID.class);
        return patientId == null ? null : new EncounterFacts(new PatientId(patientId),
                new FacilityId(rs.getObject(3, UUID.class)), EncounterStatus.ofCode(rs.getString(4)));
    }
}
