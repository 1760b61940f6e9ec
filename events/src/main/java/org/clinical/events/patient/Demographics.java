package org.clinical.events.patient;

import java.time.LocalDate;
import java.util.List;

/** What registration records about a person besides the MRN; corrected as a whole. */
public record Demographics(HumanName name, LocalDate birthDate, Gender gender, List<Identifier> identifiers,
                           List<Telecom> telecom, Address address) {

    public Demographics {
        identifiers = identifiers == null ? List.of() : List.copyOf(identifiers);
        telecom = telecom == null ? List.of() : List.copyOf(telecom);
    }
}
