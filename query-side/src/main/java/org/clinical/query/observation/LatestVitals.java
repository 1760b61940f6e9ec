package org.clinical.query.observation;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.query.patient.SummaryParts.LatestVitalsLookup;
import org.clinical.query.patient.SummaryParts.VitalSign;
import org.clinical.projections.readmodel.Read;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.UUID;

/**
 * The latest vital sign per code of a patient, from {@code latest_vital} of the {@code observations} read model
 * (the {@link Read} must use that projection): the newest by effectiveAt that is not entered in error, with its
 * amended value when it was amended.
 */
@Component
public class LatestVitals implements LatestVitalsLookup {

    @Override
    public List<VitalSign> latestVitals(Read read, UUID patientId) {
        return read.jdbc().query(read.sql("select code_system, code, code_display, observation_id, effective_at, value,"
                        + " status, interpretation from {observations}.latest_vital where patient_id = ?"
                        + " order by code_system, code"),
                (rs, i) -> new VitalSign(code(rs.getString(1), rs.getString(2), rs.getString(3)),
                        rs.getObject(4, UUID.class), rs.getTimestamp(5).toInstant(),
                        ObservationReadController.json(rs.getString(6)), rs.getString(7), rs.getString(8)),
                patientId);
    }

    private static JsonNode code(String system, String code, String display) {
        var node = ObservationReadController.JSON.createObjectNode().put("system", system).put("code", code);
        return display == null ? node.putNull("display") : node.put("display", display);
    }
}
