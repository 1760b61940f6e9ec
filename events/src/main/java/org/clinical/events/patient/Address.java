package org.clinical.events.patient;

import java.util.List;

public record Address(List<String> line, String city, String state, String postalCode, String country) {

    public Address {
        line = line == null ? List.of() : List.copyOf(line);
    }
}
