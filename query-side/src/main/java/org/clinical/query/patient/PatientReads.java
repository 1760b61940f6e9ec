package org.clinical.query.patient;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.clinical.projections.patient.PatientSummaryQueries;
import org.clinical.projections.patient.PatientSummaryQueries.PatientRow;
import org.clinical.projections.readmodel.Read;
import org.clinical.query.patient.PatientSummary.LatestVitals;
import org.clinical.query.patient.PatientSummary.Name;
import org.clinical.query.web.ReadModels;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.UUID;

/**
 * The patient summary and latest vitals, put together from the patients slice ({@link PatientSummaryQueries})
 * and the parts the encounters and observations slices own ({@link SummaryParts}).
 */
@Component
public class PatientReads {

    private final ReadModels readModels;
    private final ObjectMapper json;

    public PatientReads(ReadModels readModels, ObjectMapper json) {
        this.readModels = readModels;
        this.json = json;
    }

    /** A read of the summary: waits for the three read models it is made of. */
    public Read summaryRead(String tenant, String minPosition) {
        return readModels.read(tenant, minPosition, "patients", "encounters", "observations");
    }

    /** A read of the latest vitals: the patients read model (who exists) and the observations one. */
    public Read vitalsRead(String tenant, String minPosition) {
        return readModels.read(tenant, minPosition, "patients", "observations");
    }

    /** The summary, or null for a patient the tenant's read model does not know. */
    public PatientSummary summary(Read read, UUID patientId) {
        PatientRow p = PatientSummaryQueries.patient(read, patientId).orElse(null);
        if (p == null) {
            return null;
        }
        return new PatientSummary(p.patientId(), p.mrn(), new Name(p.family(), p.given()), p.birthDate(),
                p.gender(), p.active(), p.deceasedAt(), p.mergedInto(), tree(p.identifiers()), tree(p.telecom()),
                tree(p.address()), p.version(), SummaryParts.openEncounter(read, patientId).orElse(null),
                SummaryParts.latestVitals(read, patientId));
    }

    /** The latest vital signs, or null for a patient the tenant's read model does not know. */
    public LatestVitals latestVitals(Read read, UUID patientId) {
        if (!PatientSummaryQueries.known(read, patientId)) {
            return null;
        }
        return new LatestVitals(SummaryParts.latestVitals(read, patientId));
    }

    private JsonNode tree(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bad JSON in the patients read model", e);
        }
    }
}
