package org.clinical.query.patient;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.projections.readmodel.Read;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The parts of a patient summary that other read models own: the open encounter (projection
 * {@code encounters}) and the latest vital signs (projection {@code observations}). Each owner implements
 * its part as a bean; the summary (and its cache) puts them together.
 */
public final class SummaryParts {

    private SummaryParts() {
    }

    /** The patient's encounter in progress, if any (the newest when several are open). */
    public interface OpenEncounterLookup {
        Optional<OpenEncounter> openEncounter(Read read, UUID patientId);
    }

    /** The latest vital sign per code (entered-in-error ones fall back to the previous value). */
    public interface LatestVitalsLookup {
        List<VitalSign> latestVitals(Read read, UUID patientId);
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
