package org.clinical.command.facility;

import org.clinical.events.facility.FacilityEvent.FacilityRegistered;
import org.clinical.events.facility.FacilityId;

/** The tenant's facilities, by id and by unique code. */
public interface FacilityRegistry {

    /** @return false when the code is already used in the tenant */
    boolean add(FacilityRegistered facility);

    boolean exists(FacilityId facilityId);
}
