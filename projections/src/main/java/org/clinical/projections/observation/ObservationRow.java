package org.clinical.projections.observation;

import org.clinical.events.common.Coding;
import org.clinical.events.observation.ObservationEvent.ObservationAmended;
import org.clinical.events.observation.ObservationEvent.ObservationRecorded;
import org.clinical.events.observation.ObservationValue;
import org.clinical.events.observation.ReferenceRange;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One observation as its read-model row holds it, changed in memory while a batch is processed. */
final class ObservationRow {

    static final String FINAL = "final";
    static final String AMENDED = "amended";
    static final String ENTERED_IN_ERROR = "entered-in-error";
    static final String VITAL_SIGNS = "vital-signs";

    UUID observationId;
    UUID patientId;
    UUID encounterId;
    UUID facilityId;
    Coding code;
    String category;
    Instant effectiveAt;
    ObservationValue value;
    ReferenceRange range;
    String status;
    long version;
    Instant recordedAt;
    Instant updatedAt;
    String amendmentReason;
    String errorReason;

    static ObservationRow recorded(ObservationRecorded event, long version, Instant at) {
        ObservationRow row = new ObservationRow();
        row.observationId = event.observationId().value();
        row.patientId = event.patientId().value();
        row.encounterId = event.encounterId() == null ? null : event.encounterId().value();
        row.facilityId = event.facilityId() == null ? null : event.facilityId().value();
        row.code = event.code();
        row.category = event.category();
        row.effectiveAt = event.effectiveAt();
        row.value = event.value();
        row.range = event.referenceRange();
        row.status = FINAL;
        row.version = version;
        row.recordedAt = at;
        row.updatedAt = at;
        return row;
    }

    /**
     * The amended value replaces the old one. An amendment without a reference range keeps the old range while
     * the value is still a quantity (a corrected heart rate keeps its normal range).
     */
    void amend(ObservationAmended event, long newVersion, Instant at) {
        if (newVersion <= version) {
            return;
        }
        value = event.value();
        range = event.referenceRange() != null ? event.referenceRange()
                : value instanceof ObservationValue.Quantity ? range : null;
        status = AMENDED;
        amendmentReason = event.reason();
        version = newVersion;
        updatedAt = at;
    }

    void enteredInError(String reason, long newVersion, Instant at) {
        if (newVersion <= version) {
            return;
        }
        status = ENTERED_IN_ERROR;
        errorReason = reason;
        version = newVersion;
        updatedAt = at;
    }

    boolean vitalSign() {
        return VITAL_SIGNS.equals(category);
    }

    boolean valid() {
        return !ENTERED_IN_ERROR.equals(status);
    }

    /** What the row adds to the statistics: nothing once entered in error. */
    List<Quantities.Point> counted() {
        return valid() ? Quantities.of(code, value).points() : List.of();
    }

    String interpretation() {
        return range != null && value instanceof ObservationValue.Quantity q ? range.interpret(q.value()).name() : null;
    }

    VitalKey vitalKey() {
        return new VitalKey(patientId, code.system(), code.code());
    }

    record VitalKey(UUID patientId, String system, String code) {
    }
}
