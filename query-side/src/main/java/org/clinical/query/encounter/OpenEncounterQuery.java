package org.clinical.query.encounter;

import org.clinical.query.patient.SummaryParts.OpenEncounter;
import org.clinical.query.patient.SummaryParts.OpenEncounterLookup;
import org.clinical.projections.readmodel.Read;
import org.clinical.projections.readmodel.Rows;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.UUID;

/** The patient summary's open encounter: the newest in progress, through the partial index of open ones. */
@Component
class OpenEncounterQuery implements OpenEncounterLookup {

    @Override
    public Optional<OpenEncounter> openEncounter(Read read, UUID patientId) {
        return read.jdbc().query(read.sql("""
                        select encounter_id, encounter_class, facility_id, location, started_at, version
                        from {encounters}.encounter
                        where patient_id = ? and status = 'in-progress'
                        order by started_at desc, encounter_id desc limit 1"""),
                rs -> rs.next() ? Optional.of(new OpenEncounter(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getObject(3, UUID.class), rs.getString(4), Rows.instant(rs, 5), rs.getLong(6)))
                        : Optional.<OpenEncounter>empty(),
                patientId);
    }
}
