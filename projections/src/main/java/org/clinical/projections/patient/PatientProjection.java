package org.clinical.projections.patient;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.clinical.events.patient.Demographics;
import org.clinical.events.patient.PatientEvent.PatientDeceased;
import org.clinical.events.patient.PatientEvent.PatientDemographicsUpdated;
import org.clinical.events.patient.PatientEvent.PatientMerged;
import org.clinical.events.patient.PatientEvent.PatientRegistered;
import org.clinical.events.patient.PatientId;
import org.clinical.projections.readmodel.Projection;
import org.clinical.projections.readmodel.ReadModel;
import org.clinical.projections.readmodel.ReadModelBatch;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * The patients read model: one row per patient with its demographics, status (merged, deceased) and version,
 * plus the parts of its names and its identifiers for search. Each handler queues one guarded write (a row
 * only moves forward: {@code version < ?}); the name parts and identifiers of the patients a batch touched
 * are rewritten from their rows in {@link #finish}, set-based. The version is the one commands answer and
 * accept in If-Match: the aggregate's sequence number + 1.
 */
@Component
@ProcessingGroup(PatientProjection.NAME)
public class PatientProjection extends Projection {

    public static final String NAME = "patients";
    static final ReadModel READ_MODEL = new ReadModel(NAME, "readmodel/patients.sql", "readmodel/patients-views.sql");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHANGED = "patient";
    private static final String RENAMED = "patient.names";

    public PatientProjection(ProjectionSupport support) {
        super(READ_MODEL, support);
    }

    @Bean
    static ReadModel patientsReadModel() {
        return READ_MODEL;
    }

    @EventHandler
    void on(PatientRegistered event, EventMessage<?> message, @SequenceNumber long sequence, @Timestamp Instant at) {
        Demographics d = event.demographics();
        ReadModelBatch batch = changed(message, event.patientId(), true);
        batch.add("insert into {s}.patient (patient_id, mrn, family, given, birth_date, gender, identifiers, telecom,"
                        + " address, version, registered_at, updated_at, sort_key)"
                        + " values (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, lower(public.unaccent(?)))"
                        + " on conflict (patient_id) do nothing",
                event.patientId().value(), event.mrn().value(), d.name().family(), given(d), d.birthDate(),
                gender(d), json(d.identifiers()), json(d.telecom()), json(d.address()), sequence + 1,
                time(at), time(at), sortKey(d));
    }

    @EventHandler
    void on(PatientDemographicsUpdated event, EventMessage<?> message, @SequenceNumber long sequence,
            @Timestamp Instant at) {
        Demographics d = event.demographics();
        changed(message, event.patientId(), true).add("update {s}.patient set family = ?, given = ?, birth_date = ?,"
                        + " gender = ?, identifiers = ?::jsonb, telecom = ?::jsonb, address = ?::jsonb,"
                        + " sort_key = lower(public.unaccent(?)), version = ?, updated_at = ?"
                        + " where patient_id = ? and version < ?",
                d.name().family(), given(d), d.birthDate(), gender(d), json(d.identifiers()), json(d.telecom()),
                json(d.address()), sortKey(d), sequence + 1, time(at), event.patientId().value(), sequence + 1);
    }

    /** The merged patient stops being active and points to the survivor; the survivor's row is unchanged. */
    @EventHandler
    void on(PatientMerged event, EventMessage<?> message, @SequenceNumber long sequence, @Timestamp Instant at) {
        changed(message, event.patientId(), false).add("update {s}.patient set active = false, merged_into = ?,"
                        + " version = ?, updated_at = ? where patient_id = ? and version < ?",
                event.survivorId().value(), sequence + 1, time(at), event.patientId().value(), sequence + 1);
    }

    @EventHandler
    void on(PatientDeceased event, EventMessage<?> message, @SequenceNumber long sequence, @Timestamp Instant at) {
        changed(message, event.patientId(), false).add("update {s}.patient set deceased_at = ?, version = ?,"
                        + " updated_at = ? where patient_id = ? and version < ?",
                time(event.deceasedAt()), sequence + 1, time(at), event.patientId().value(), sequence + 1);
    }

    /** Name parts and identifiers of the renamed patients, rewritten from their rows in two statements each. */
    @Override
    protected void finish(ReadModelBatch batch) {
        Set<UUID> renamed = batch.touched(RENAMED);
        if (renamed.isEmpty()) {
            return;
        }
        String[] ids = renamed.stream().map(UUID::toString).toArray(String[]::new);
        batch.add("delete from {s}.patient_name_part where patient_id = any(?::uuid[])", (Object) ids);
        batch.add("insert into {s}.patient_name_part (patient_id, part, sort_key)"
                + " select distinct p.patient_id, lower(public.unaccent(w)), p.sort_key"
                + " from {s}.patient p, unnest(array_prepend(p.family, p.given)) n,"
                + " regexp_split_to_table(n, '[[:space:]-]+') w"
                + " where p.patient_id = any(?::uuid[]) and w <> ''", (Object) ids);
        batch.add("insert into {s}.name_word (word) select distinct part from {s}.patient_name_part"
                + " where patient_id = any(?::uuid[]) on conflict do nothing", (Object) ids);
        batch.add("delete from {s}.patient_identifier where patient_id = any(?::uuid[])", (Object) ids);
        batch.add("insert into {s}.patient_identifier (patient_id, system, value)"
                + " select distinct p.patient_id, coalesce(i->>'system', ''), i->>'value'"
                + " from {s}.patient p, jsonb_array_elements(p.identifiers) i"
                + " where p.patient_id = any(?::uuid[]) and i->>'value' is not null", (Object) ids);
    }

    @Override
    protected void committed(ReadModelBatch batch) {
        Set<UUID> changed = batch.touched(CHANGED);
        patientsChanged(batch, changed.stream().map(UUID::toString).toList());
    }

    private ReadModelBatch changed(EventMessage<?> message, PatientId patientId, boolean names) {
        ReadModelBatch batch = batch(message);
        batch.touch(CHANGED, patientId.value());
        if (names) {
            batch.touch(RENAMED, patientId.value());
        }
        return batch;
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static String[] given(Demographics d) {
        return d.name().given().toArray(String[]::new);
    }

    private static String gender(Demographics d) {
        return d.gender() == null ? null : d.gender().name().toLowerCase(Locale.ROOT);
    }

    private static String sortKey(Demographics d) {
        List<String> words = new ArrayList<>();
        words.add(d.name().family());
        words.addAll(d.name().given());
        return String.join(" ", words);
    }

    private static String json(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value, e);
        }
    }
}
