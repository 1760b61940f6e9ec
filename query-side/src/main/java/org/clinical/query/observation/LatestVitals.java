package org.clinical.query.observation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.clinical.projections.observation.LatestVitalsQueries;
import org.clinical.projections.observation.LatestVitalsQueries.LatestVital;
import org.clinical.projections.readmodel.Read;
import org.clinical.query.patient.SummaryParts.LatestVitalsLookup;
import org.clinical.query.patient.SummaryParts.VitalSign;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.UUID;

/**
 * The summary's latest vital signs, from {@link LatestVitalsQueries} (the {@link Read} must use the
 * {@code observations} projection).
 */
@Component
public class LatestVitals implements LatestVitalsLookup {

    @Override
    public List<VitalSign> latestVitals(Read read, UUID patientId) {
        return LatestVitalsQueries.ofPatient(read, patientId).stream().map(LatestVitals::vitalSign).toList();
    }

    private static VitalSign vitalSign(LatestVital vital) {
        return new VitalSign(code(vital), vital.observationId(), vital.effectiveAt(), vital.value(), vital.status(),
                vital.interpretation());
    }

    private static JsonNode code(LatestVital vital) {
        var node = JsonNodeFactory.instance.objectNode().put("system", vital.codeSystem()).put("code", vital.code());
        return vital.codeDisplay() == null ? node.putNull("display") : node.put("display", vital.codeDisplay());
    }
}
