package org.clinical.events.common;

import org.clinical.events.encounter.EncounterEvent;
import org.clinical.events.facility.FacilityEvent;
import org.clinical.events.observation.ObservationEvent;
import org.clinical.events.patient.PatientEvent;
import org.clinical.events.tenant.TenantEvent;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The stored and published names of all events: the simple record name ({@code PatientRegistered}).
 * These names are part of the contract (auditors and Kafka consumers filter on them), so they are
 * independent of Java packages; renaming a record needs an upcaster.
 */
public final class EventTypes {

    private static final Map<String, Class<?>> BY_NAME = Stream.of(
                    TenantEvent.class, FacilityEvent.class, PatientEvent.class, EncounterEvent.class,
                    ObservationEvent.class)
            .flatMap(root -> Arrays.stream(root.getPermittedSubclasses()))
            .collect(Collectors.toUnmodifiableMap(Class::getSimpleName, Function.identity()));

    private EventTypes() {
    }

    public static Optional<Class<?>> classOf(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public static Optional<String> nameOf(Class<?> type) {
        String name = type.getSimpleName();
        return BY_NAME.get(name) == type ? Optional.of(name) : Optional.empty();
    }

    public static Map<String, Class<?>> all() {
        return BY_NAME;
    }
}
