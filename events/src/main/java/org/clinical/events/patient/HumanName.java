package org.clinical.events.patient;

import java.util.List;

public record HumanName(String family, List<String> given) {

    public HumanName {
        given = given == null ? List.of() : List.copyOf(given);
    }
}
