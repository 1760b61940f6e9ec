package org.clinical.query.patient;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.media.Schema;
import org.clinical.projections.encounter.EncounterQueries.OpenEncounter;
import org.clinical.projections.observation.LatestVitalsQueries.VitalSign;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** A patient at a glance: demographics and status, the encounter in progress and the latest vital signs. */
public record PatientSummary(UUID patientId, String mrn, Name name, LocalDate birthDate,
                             @Schema(allowableValues = {"male", "female", "other", "unknown"}) String gender,
                             @Schema(description = "false once the patient was merged into another") boolean active,
                             Instant deceasedAt,
                             @Schema(description = "the surviving patient, when this one was merged") UUID mergedInto,
                             @Schema(description = "[{system, value}]") JsonNode identifiers,
                             @Schema(description = "[{system, value, use}]") JsonNode telecom,
                             @Schema(description = "{line[], city, state, postalCode, country} or null") JsonNode address,
                             @Schema(description = "the patient's version, as in the ETag") long version,
                             @Schema(description = "the encounter in progress, null when there is none")
                             OpenEncounter openEncounter,
                             @Schema(description = "the latest value of each vital-sign code")
                             List<VitalSign> latestVitals) {

    public record Name(String family, List<String> given) {
    }

    /** The latest vital signs, as answered by {@code GET .../vitals/latest}. */
    public record LatestVitals(List<VitalSign> items) {
    }

    /** An item of the patient search. */
    public record Found(UUID patientId, String mrn, Name name, LocalDate birthDate, String gender, boolean active,
                        Instant deceasedAt, UUID mergedInto) {
    }
}
