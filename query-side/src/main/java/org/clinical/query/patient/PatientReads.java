package org.clinical.query.patient;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.clinical.projections.patient.PatientSummaryQueries;
import org.clinical.projections.patient.PatientSummaryQueries.PatientRow;
import org.clinical.projections.readmodel.Read;
import org.clinical.query.patient.PatientSummary.LatestVitals;
import org.clinical.query.patient.PatientSummary.Name;
import org.clinical.query.patient.SummaryParts.LatestVitalsLookup;
import org.clinical.query.patient.SummaryParts.OpenEncounterLookup;
import org.clinical.query.web.ReadModels;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The patient summary and latest vitals, put together from the patients read model
 * ({@link PatientSummaryQueries}) and the parts other read models own ({@link SummaryParts}), present only once
 * their owners' beans are.
 */
@Component
public class PatientReads {

    private final ReadModels readModels;
    private final ObjectProvider<OpenEncounterLookup> openEncounters;
    private final ObjectProvider<LatestVitalsLookup> latestVitals;
    private final ObjectMapper json;

    public PatientReads(ReadModels readModels, ObjectProvider<OpenEncounterLookup> openEncounters,
                        ObjectProvider<LatestVitalsLookup> latestVitals, ObjectMapper json) {
        this.readModels = readModels;
        this.openEncounters = openEncounters;
        this.latestVitals = latestVitals;
        this.json = json;
    }

    /** A read of the summary: waits for the patients read model and for those of the parts present. */
    public Read summaryRead(String tenant, String minPosition) {
        List<String> projections = new ArrayList<>(List.of("patients"));
        if (openEncounters.getIfAvailable() != null) {
            projections.add("encounters");
        }
        if (latestVitals.getIfAvailable() != null) {
            projections.add("observations");
        }
        return readModels.read(tenant, minPosition, projections.toArray(String[]::new));
    }

    /** A read of the latest vitals: the patients read model, and the observations one once it exists. */
    public Read vitalsRead(String tenant, String minPosition) {
        return latestVitals.getIfAvailable() == null ? readModels.read(tenant, minPosition, "patients")
                : readModels.read(tenant, minPosition, "patients", "observations");
    }

    /** The summary, or null for a patient the tenant's read model does not know. */
    public PatientSummary summary(Read read, UUID patientId) {
        PatientRow p = PatientSummaryQueries.patient(read, patientId).orElse(null);
        if (p == null) {
            return null;
        }
        OpenEncounterLookup encounters = openEncounters.getIfAvailable();
        LatestVitalsLookup vitals = latestVitals.getIfAvailable();
        return new PatientSummary(p.patientId(), p.mrn(), new Name(p.family(), p.given()), p.birthDate(),
                p.gender(), p.active(), p.deceasedAt(), p.mergedInto(), tree(p.identifiers()), tree(p.telecom()),
                tree(p.address()), p.version(),
                encounters == null ? null : encounters.openEncounter(read, patientId).orElse(null),
                vitals == null ? List.of() : vitals.latestVitals(read, patientId));
    }

    /** The latest vital signs, or null for a patient the tenant's read model does not know. */
    public LatestVitals latestVitals(Read read, UUID patientId) {
        if (!PatientSummaryQueries.known(read, patientId)) {
            return null;
        }
        LatestVitalsLookup vitals = latestVitals.getIfAvailable();
        return new LatestVitals(vitals == null ? List.of() : vitals.latestVitals(read, patientId));
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
