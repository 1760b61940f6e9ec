package org.clinical.projections.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.axonframework.eventhandling.DomainEventMessage;
import org.clinical.events.common.Coding;
import org.clinical.events.encounter.EncounterEvent.EncounterCancelled;
import org.clinical.events.encounter.EncounterEvent.EncounterStarted;
import org.clinical.events.encounter.EncounterEvent.PatientDischarged;
import org.clinical.events.encounter.EncounterEvent.PatientTransferred;
import org.clinical.events.observation.ObservationEvent.ObservationAmended;
import org.clinical.events.observation.ObservationEvent.ObservationEnteredInError;
import org.clinical.events.observation.ObservationEvent.ObservationRecorded;
import org.clinical.events.observation.ObservationValue;
import org.clinical.events.observation.ReferenceRange;
import org.clinical.events.patient.Demographics;
import org.clinical.events.patient.PatientEvent.PatientDeceased;
import org.clinical.events.patient.PatientEvent.PatientDemographicsUpdated;
import org.clinical.events.patient.PatientEvent.PatientMerged;
import org.clinical.events.patient.PatientEvent.PatientRegistered;
import org.clinical.infra.eventstore.ClinicalSerializer;
import org.clinical.infra.web.RecordVersion;
import org.clinical.projections.encounter.EncounterQueries.OpenEncounter;
import org.clinical.projections.observation.LatestVitalsQueries.VitalSign;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One pass over a patient's events, ordered by aggregate and sequence, building what each read model would hold
 * after them (the same rules as {@code PatientChanges}, {@code EncounterChanges}, {@code ObservationRow} and
 * {@code LatestVitalsTable}). A record's events come together, so each encounter and observation is finished as
 * the next record starts and only then offered: memory holds one record, the best open encounter and one vital
 * sign per code, whatever the number of events.
 *
 * <p>Ties are broken as PostgreSQL orders the read models: uuids by their unsigned bytes (their text), codes by
 * code point.
 */
public final class ChartFold {

    /** As {@code PatientChanges} writes identifiers, telecom and address. */
    private static final ObjectMapper PLAIN = new ObjectMapper();
    /** As {@code ObservationTable} writes and reads a value; plain decimals, as {@code jsonb} gives them back. */
    private static final ObjectMapper VALUES = ClinicalSerializer.exactDecimals(JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true)).build());

    private static final Comparator<String> UUID_ORDER = Comparator.naturalOrder();

    private final UUID patientId;
    /** Clinically as of this instant; null: as recorded. */
    private final Instant effective;

    private Patient patient;
    private String aggregate;
    private Encounter encounter;
    private Observation observation;
    private OpenEncounter open;
    /** The newest valid vital sign per code system and code ("system\u0000code"), in code point order. */
    private final TreeMap<String, Observation> vitals = new TreeMap<>();
    private long position = -1;
    private long events;

    ChartFold(UUID patientId, Instant effective) {
        this.patientId = patientId;
        this.effective = effective;
    }

    /** The next event: of the same record as the last one, or the first of the next record. */
    void accept(DomainEventMessage<?> message, long globalIndex) {
        if (!message.getAggregateIdentifier().equals(aggregate)) {
            finishRecord();
            aggregate = message.getAggregateIdentifier();
        }
        position = Math.max(position, globalIndex);
        events++;
        long version = RecordVersion.fromSequence(message.getSequenceNumber()).value();
        switch (message.getPayload()) {
            case PatientRegistered e when e.patientId().value().equals(patientId) -> {
                patient = new Patient();
                patient.mrn = e.mrn().value();
                patient.demographics(e.demographics(), version);
            }
            case PatientDemographicsUpdated e when patient != null && e.patientId().value().equals(patientId) ->
                    patient.demographics(e.demographics(), version);
            case PatientMerged e when patient != null && e.patientId().value().equals(patientId) -> {
                if (clinicallyBy(e.mergedAt())) {
                    patient.active = false;
                    patient.mergedInto = e.survivorId().value();
                }
                patient.version = version;
            }
            case PatientDeceased e when patient != null && e.patientId().value().equals(patientId) -> {
                if (clinicallyBy(e.deceasedAt())) {
                    patient.deceasedAt = e.deceasedAt();
                }
                patient.version = version;
            }
            case EncounterStarted e -> encounter = new Encounter(e, version, clinicallyBy(e.startedAt()));
            case PatientTransferred e when encounter != null -> {
                if (effective == null) {
                    encounter.location = e.toLocation();
                } else if (clinicallyBy(e.at()) && !e.at().isBefore(encounter.locationSince)) {
                    encounter.location = e.toLocation();
                    encounter.locationSince = e.at();
                }
                encounter.version = version;
            }
            case PatientDischarged e when encounter != null -> {
                if (clinicallyBy(e.at())) {
                    encounter.open = false;
                }
                encounter.version = version;
            }
            case EncounterCancelled e when encounter != null -> {
                encounter.open = false;
                encounter.version = version;
            }
            case ObservationRecorded e -> observation = Observation.recorded(e);
            case ObservationAmended e when observation != null -> observation.amend(e);
            case ObservationEnteredInError e when observation != null -> observation.inError = true;
            default -> {
                // an event of another kind (none reach here today) or out of its record's order: nothing to show
            }
        }
    }

    /** The chart; empty when the patient's registration was not among the events. */
    Optional<PatientChartAsOf.Chart> result() {
        finishRecord();
        if (patient == null) {
            return Optional.empty();
        }
        List<VitalSign> latest = vitals.values().stream().map(Observation::vitalSign).toList();
        return Optional.of(new PatientChartAsOf.Chart(patientId, patient.mrn, patient.family, patient.given,
                patient.birthDate, patient.gender, patient.active, patient.deceasedAt, patient.mergedInto,
                patient.identifiers, patient.telecom, patient.address, patient.version, open, latest, position,
                events));
    }

    private boolean clinicallyBy(Instant at) {
        return effective == null || (at != null && !at.isAfter(effective));
    }

    /** Offers the encounter or observation just read. */
    private void finishRecord() {
        if (encounter != null) {
            if (encounter.open) {
                OpenEncounter candidate = encounter.asOpen();
                if (open == null || newer(candidate.startedAt(), candidate.encounterId(), open.startedAt(),
                        open.encounterId())) {
                    open = candidate;
                }
            }
            encounter = null;
        }
        if (observation != null) {
            Observation o = observation;
            if (o.isVital() && !o.inError && clinicallyBy(o.effectiveAt)) {
                vitals.merge(o.code.system() + '\u0000' + o.code.code(), o,
                        (kept, offered) -> newer(offered.effectiveAt, offered.observationId, kept.effectiveAt,
                                kept.observationId) ? offered : kept);
            }
            observation = null;
        }
    }

    /** Whether (a, aId) sorts after (b, bId), as {@code (time, uuid)} does in PostgreSQL. */
    private static boolean newer(Instant a, UUID aId, Instant b, UUID bId) {
        int byTime = a.compareTo(b);
        return byTime != 0 ? byTime > 0 : UUID_ORDER.compare(aId.toString(), bId.toString()) > 0;
    }

    private static JsonNode plain(Object value) {
        return value == null ? null : PLAIN.valueToTree(value);
    }

    private static final class Patient {
        String mrn;
        String family;
        List<String> given;
        LocalDate birthDate;
        String gender;
        boolean active = true;
        Instant deceasedAt;
        UUID mergedInto;
        JsonNode identifiers;
        JsonNode telecom;
        JsonNode address;
        long version;

        void demographics(Demographics d, long version) {
            family = d.name().family();
            given = d.name().given();
            birthDate = d.birthDate();
            gender = d.gender() == null ? null : d.gender().name().toLowerCase(Locale.ROOT);
            identifiers = plain(d.identifiers());
            telecom = plain(d.telecom());
            address = plain(d.address());
            this.version = version;
        }
    }

    private static final class Encounter {
        final UUID encounterId;
        final String encounterClass;
        final UUID facilityId;
        final Instant startedAt;
        String location;
        /** When the patient came to {@link #location}: the start, then each transfer's time. */
        Instant locationSince;
        boolean open;
        long version;

        Encounter(EncounterStarted e, long version, boolean started) {
            encounterId = e.encounterId().value();
            encounterClass = e.encounterClass().name();
            facilityId = e.facilityId().value();
            startedAt = e.startedAt();
            location = e.location();
            locationSince = e.startedAt();
            open = started;
            this.version = version;
        }

        OpenEncounter asOpen() {
            return new OpenEncounter(encounterId, encounterClass, facilityId, location, startedAt, version);
        }
    }

    private static final class Observation {
        UUID observationId;
        Coding code;
        String category;
        Instant effectiveAt;
        ObservationValue value;
        ReferenceRange range;
        boolean amended;
        boolean inError;

        static Observation recorded(ObservationRecorded e) {
            Observation o = new Observation();
            o.observationId = e.observationId().value();
            o.code = e.code();
            o.category = e.category();
            o.effectiveAt = e.effectiveAt();
            o.value = e.value();
            o.range = e.referenceRange();
            return o;
        }

        /** As {@code ObservationRow.amend}: without a range of its own, a quantity keeps the old one. */
        void amend(ObservationAmended e) {
            value = e.value();
            range = e.referenceRange() != null ? e.referenceRange()
                    : value instanceof ObservationValue.Quantity ? range : null;
            amended = true;
        }

        boolean isVital() {
            return "vital-signs".equals(category);
        }

        VitalSign vitalSign() {
            String interpretation = range != null && value instanceof ObservationValue.Quantity q
                    ? range.interpret(q.value()).name() : null;
            return VitalSign.of(code.system(), code.code(), code.display(), observationId, effectiveAt, tree(value),
                    amended ? "amended" : "final", interpretation);
        }

        private static JsonNode tree(ObservationValue value) {
            try {
                return VALUES.readTree(VALUES.writeValueAsString(value));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write an observation value", e);
            }
        }
    }
}
