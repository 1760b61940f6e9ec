package org.clinical.projections.facility;

import org.clinical.events.facility.FacilityEvent.FacilityRegistered;
import org.clinical.projections.readmodel.ReadModelBatch;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The facility registrations of one batch, written at commit as one JDBC batch of inserts; a replayed
 * registration changes nothing (insert on conflict do nothing).
 */
final class FacilityChanges {

    private static final String REGISTER = """
            insert into {s}.facility (facility_id, code, name, type, beds, registered_at, version)
            values (?, ?, ?, ?, ?, ?, ?)
            on conflict (facility_id) do nothing""";

    /** One registration of the batch with the facility's version after it. */
    private record Change(FacilityRegistered event, long version) {
    }

    private final List<Change> changes = new ArrayList<>();

    void add(FacilityRegistered event, long version) {
        changes.add(new Change(event, version));
    }

    void write(ReadModelBatch batch) {
        for (Change change : changes) {
            FacilityRegistered e = change.event();
            batch.add(REGISTER, e.facilityId().value(), e.code(), e.name(), e.type().name().toLowerCase(Locale.ROOT),
                    e.beds(), e.registeredAt().atOffset(ZoneOffset.UTC), change.version());
        }
    }
}
