package org.clinical.events.facility;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** Events of a facility: a hospital, clinic or lab of a tenant. */
public sealed interface FacilityEvent {

    FacilityId facilityId();

    @Revision("1")
    record FacilityRegistered(FacilityId facilityId, String code, String name, FacilityType type, Integer beds,
                              Instant registeredAt) implements FacilityEvent {
    }
}
