package org.clinical.query.patient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.clinical.projections.encounter.EncounterQueries;
import org.clinical.projections.observation.LatestVitalsQueries;
import org.clinical.projections.observation.LatestVitalsQueries.LatestVital;
import org.clinical.projections.readmodel.Read;

import java.time.Instant;
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
        return EncounterQueries.open(read, patientId).map(e -> new OpenEncounter(e.encounterId(),
                e.encounterClass(), e.facilityId(), e.location(), e.startedAt(), e.version()));
    }

    /** The latest vital sign per code (entered-in-error ones fall back to the previous value). */
    static List<VitalSign> latestVitals(Read read, UUID patientId) {
        return LatestVitalsQueries.ofPatient(read, patientId).stream().map(SummaryParts::vitalSign).toList();
    }

    private static VitalSign vitalSign(LatestVital vital) {
        var code = JsonNodeFactory.instance.objectNode().put("system", vital.codeSystem()).put("code", vital.code());
        return new VitalSign(vital.codeDisplay() == null ? code.putNull("display") : code.put("display",
                vital.codeDisplay()), vital.observationId(), vital.effectiveAt(), vital.value(), vital.status(),
                vital.interpretation());
    }

    public record OpenEncounter(UUID encounterId, String encounterClass, UUID facilityId, String location,
                                Instant startedAt, long version) {
    }

    /**
     * @param code  {@code {system, code, display}}
     * @param value the value in the contract's form: {@code {"quantity": {"value": 72, "unit": "/min"}}}...
     */
    public record VitalSign(JsonNode code, UUID observationId, Instant effectiveAt, JsonNode value, String status,
                            String interpretation) {
    }
}
