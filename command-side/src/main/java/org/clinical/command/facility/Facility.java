package org.clinical.command.facility;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.clinical.events.common.ErrorCode;
import org.clinical.events.common.RuleViolation;
import org.clinical.events.facility.FacilityEvent.FacilityRegistered;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.facility.RegisterFacility;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A hospital, clinic or lab of a tenant. Protects: a facility code is used once per tenant (synchronously:
 * the registry row is written in the event's transaction, and its unique index settles races).
 */
public class Facility {

    @AggregateIdentifier
    private FacilityId facilityId;

    Facility() {
    }

    @CommandHandler
    Facility(RegisterFacility command, FacilityRegistry registry) {
        FacilityRegistered registered = new FacilityRegistered(command.facilityId(), command.code(), command.name(),
                command.type(), command.beds(), command.registeredAt());
        if (!registry.add(registered)) {
            throw codeIsTaken(command.code());
        }
        apply(registered);
    }

    static RuleViolation codeIsTaken(String code) {
        return new RuleViolation(ErrorCode.FACILITY_CODE_TAKEN, "Facility code '" + code + "' is already in use");
    }

    @EventSourcingHandler
    void on(FacilityRegistered event) {
        facilityId = event.facilityId();
    }
}
