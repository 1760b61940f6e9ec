package org.clinical.query.patient;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.clinical.query.patient.PatientSummary.LatestVitals;
import org.clinical.query.patient.PatientSummary.Name;
import org.clinical.query.patient.SummaryParts.LatestVitalsLookup;
import org.clinical.query.patient.SummaryParts.OpenEncounterLookup;
import org.clinical.query.web.ReadModels;
import org.clinical.projections.readmodel.Read;
import org.clinical.projections.readmodel.Rows;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.sql.Array;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Patient reads from PostgreSQL: the summary, put together from the patients read model and the parts other
 * read models own ({@link SummaryParts}), present only once their owners' beans are.
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
        List<PatientSummary> found = read.jdbc().query(read.sql("select patient_id, mrn, family, given, birth_date,"
                        + " gender, active, deceased_at, merged_into, identifiers::text, telecom::text, address::text,"
                        + " version from {patients}.patient where patient_id = ?"),
                (rs, i) -> new PatientSummary(rs.getObject(1, UUID.class), rs.getString(2),
                        new Name(rs.getString(3), strings(rs.getArray(4))), rs.getObject(5, LocalDate.class),
                        rs.getString(6), rs.getBoolean(7), Rows.instant(rs, 8), rs.getObject(9, UUID.class),
                        tree(rs.getString(10)), tree(rs.getString(11)), tree(rs.getString(12)), rs.getLong(13),
                        null, List.of()),
                patientId);
        if (found.isEmpty()) {
            return null;
        }
        PatientSummary p = found.get(0);
        OpenEncounterLookup encounters = openEncounters.getIfAvailable();
        LatestVitalsLookup vitals = latestVitals.getIfAvailable();
        return new PatientSummary(p.patientId(), p.mrn(), p.name(), p.birthDate(), p.gender(), p.active(),
                p.deceasedAt(), p.mergedInto(), p.identifiers(), p.telecom(), p.address(), p.version(),
                encounters == null ? null : encounters.openEncounter(read, patientId).orElse(null),
                vitals == null ? List.of() : vitals.latestVitals(read, patientId));
    }

    /** The latest vital signs, or null for a patient the tenant's read model does not know. */
    public LatestVitals latestVitals(Read read, UUID patientId) {
        Integer known = read.jdbc().query(read.sql("select 1 from {patients}.patient where patient_id = ?"),
                rs -> rs.next() ? 1 : null, patientId);
        if (known == null) {
            return null;
        }
        LatestVitalsLookup vitals = latestVitals.getIfAvailable();
        return new LatestVitals(vitals == null ? List.of() : vitals.latestVitals(read, patientId));
    }

    static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
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
