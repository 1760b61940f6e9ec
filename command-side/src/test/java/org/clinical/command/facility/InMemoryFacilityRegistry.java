package org.clinical.command.facility;

import org.clinical.events.facility.FacilityEvent.FacilityRegistered;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.facility.FacilityType;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** The facility registry as a map, with the table's unique code. */
public class InMemoryFacilityRegistry implements FacilityRegistry {

    private final Map<FacilityId, FacilityRegistered> facilities = new HashMap<>();

    @Override
    public boolean add(FacilityRegistered facility) {
        if (facilities.values().stream().anyMatch(f -> f.code().equals(facility.code()))) {
            return false;
        }
        facilities.put(facility.facilityId(), facility);
        return true;
    }

    @Override
    public boolean exists(FacilityId facilityId) {
        return facilities.containsKey(facilityId);
    }

    /** A facility known before the test, for the rules of other records. */
    public InMemoryFacilityRegistry with(FacilityId facilityId) {
        add(new FacilityRegistered(facilityId, "F-" + facilityId, "Facility " + facilityId, FacilityType.HOSPITAL,
                null, Instant.parse("2024-01-01T00:00:00Z")));
        return this;
    }

    public FacilityRegistered get(FacilityId facilityId) {
        return facilities.get(facilityId);
    }

    public int size() {
        return facilities.size();
    }
}
