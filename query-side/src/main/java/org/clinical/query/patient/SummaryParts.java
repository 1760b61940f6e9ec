package org.clinical.query.patient;

import org.clinical.projections.encounter.EncounterQueries;
import org.clinical.projections.encounter.EncounterQueries.OpenEncounter;
import org.clinical.projections.observation.LatestVitalsQueries;
import org.clinical.projections.observation.LatestVitalsQueries.VitalSign;
import org.clinical.projections.readmodel.Read;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The parts of a patient summary that other slices own, in the answer's shape: the open encounter (the
 * {@code encounters} slice's {@link EncounterQueries}) and the latest vital signs (the {@code observations}
 * slice's {@link LatestVitalsQueries}). The {@link Read} must use those projections.
 */
final class SummaryParts {

    private SummaryParts() {
    }

    /** The patient's encounter in progress, if any (the newest when several are open). */
    static Optional<OpenEncounter> openEncounter(Read read, UUID patientId) {
        return EncounterQueries.open(read, patientId);
    }

    /** The latest vital sign per code (entered-in-error ones fall back to the previous value). */
    static List<VitalSign> latestVitals(Read read, UUID patientId) {
        return LatestVitalsQueries.ofPatient(read, patientId).stream().map(VitalSign::of).toList();
    }
}
