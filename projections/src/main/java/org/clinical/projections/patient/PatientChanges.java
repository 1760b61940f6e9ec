package org.clinical.projections.patient;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.clinical.events.patient.Demographics;
import org.clinical.events.patient.PatientEvent;
import org.clinical.events.patient.PatientEvent.PatientDeceased;
import org.clinical.events.patient.PatientEvent.PatientDemographicsUpdated;
import org.clinical.events.patient.PatientEvent.PatientMerged;
import org.clinical.events.patient.PatientEvent.PatientRegistered;
import org.clinical.projections.readmodel.ReadModelBatch;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * The patient events of one batch, written at commit: one guarded write per event, in the batch's order (a row
 * only moves forward: {@code version < ?}), then the name parts and identifiers of the patients registered or
 * renamed, rewritten from their rows in two statements each, set-based.
 */
final class PatientChanges {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String REGISTER = "insert into {s}.patient (patient_id, mrn, family, given, birth_date,"
            + " gender, identifiers, telecom, address, version, registered_at, updated_at, sort_key)"
            + " values (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, lower(public.unaccent(?)))"
            + " on conflict (patient_id) do nothing";
    private static final String UPDATE_DEMOGRAPHICS = "update {s}.patient set family = ?, given = ?, birth_date = ?,"
            + " gender = ?, identifiers = ?::jsonb, telecom = ?::jsonb, address = ?::jsonb,"
            + " sort_key = lower(public.unaccent(?)), version = ?, updated_at = ?"
            + " where patient_id = ? and version < ?";
    /** The merged patient stops being active and points to the survivor; the survivor's row is unchanged. */
    private static final String MERGE = "update {s}.patient set active = false, merged_into = ?,"
            + " version = ?, updated_at = ? where patient_id = ? and version < ?";
    private static final String DECEASE = "update {s}.patient set deceased_at = ?, version = ?,"
            + " updated_at = ? where patient_id = ? and version < ?";

    /** One event of the batch with the patient's version after it and the event's time. */
    private record Change(PatientEvent event, long version, Instant at) {
    }

    private final List<Change> changes = new ArrayList<>();

    void add(PatientEvent event, long version, Instant at) {
        changes.add(new Change(event, version, at));
    }

    void write(ReadModelBatch batch) {
        Set<UUID> changed = new LinkedHashSet<>();
        Set<UUID> renamed = new LinkedHashSet<>();
        for (Change change : changes) {
            UUID patientId = write(batch, change);
            changed.add(patientId);
            if (change.event() instanceof PatientRegistered || change.event() instanceof PatientDemographicsUpdated) {
                renamed.add(patientId);
            }
        }
        writeNames(batch, renamed);
        batch.patientsChanged(changed.stream().map(UUID::toString).toList());
    }

    /** The change's write; its patient. */
    private static UUID write(ReadModelBatch batch, Change change) {
        long version = change.version();
        OffsetDateTime at = time(change.at());
        switch (change.event()) {
            case PatientRegistered e -> {
                Demographics d = e.demographics();
                batch.add(REGISTER, e.patientId().value(), e.mrn().value(), d.name().family(), given(d),
                        d.birthDate(), gender(d), json(d.identifiers()), json(d.telecom()), json(d.address()),
                        version, at, at, sortKey(d));
                return e.patientId().value();
            }
            case PatientDemographicsUpdated e -> {
                Demographics d = e.demographics();
                batch.add(UPDATE_DEMOGRAPHICS, d.name().family(), given(d), d.birthDate(), gender(d),
                        json(d.identifiers()), json(d.telecom()), json(d.address()), sortKey(d), version, at,
                        e.patientId().value(), version);
                return e.patientId().value();
            }
            case PatientMerged e -> {
                batch.add(MERGE, e.survivorId().value(), version, at, e.patientId().value(), version);
                return e.patientId().value();
            }
            case PatientDeceased e -> {
                batch.add(DECEASE, time(e.deceasedAt()), version, at, e.patientId().value(), version);
                return e.patientId().value();
            }
        }
    }

    private static void writeNames(ReadModelBatch batch, Set<UUID> renamed) {
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
