package org.clinical.query.encounter;

import org.clinical.projections.encounter.EncounterQueries;
import org.clinical.projections.readmodel.Read;
import org.clinical.query.patient.SummaryParts.OpenEncounter;
import org.clinical.query.patient.SummaryParts.OpenEncounterLookup;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.UUID;

/** The patient summary's open encounter, as the encounters slice reads it. */
@Component
class OpenEncounterQuery implements OpenEncounterLookup {

    @Override
    public Optional<OpenEncounter> openEncounter(Read read, UUID patientId) {
        return EncounterQueries.open(read, patientId).map(e -> new OpenEncounter(e.encounterId(),
                e.encounterClass(), e.facilityId(), e.location(), e.startedAt(), e.version()));
    }
}
