package org.clinical.events.patient;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Events of a patient's registration record. */
public sealed interface PatientEvent {

    PatientId patientId();

    /** Revision 2 added {@code identifiers}; revision 1 events are upcast with an empty list. */
    @Revision("2")
    record PatientRegistered(PatientId patientId, Mrn mrn, HumanName name, LocalDate birthDate, Gender gender,
                             List<Identifier> identifiers, List<Telecom> telecom, Address address)
            implements PatientEvent {

        public PatientRegistered {
            identifiers = identifiers == null ? List.of() : List.copyOf(identifiers);
            telecom = telecom == null ? List.of() : List.copyOf(telecom);
        }

        public static PatientRegistered of(PatientId patientId, Mrn mrn, Demographics d) {
            return new PatientRegistered(patientId, mrn, d.name(), d.birthDate(), d.gender(), d.identifiers(),
                    d.telecom(), d.address());
        }

        public Demographics demographics() {
            return new Demographics(name, birthDate, gender, identifiers, telecom, address);
        }
    }

    @Revision("1")
    record PatientDemographicsUpdated(PatientId patientId, HumanName name, LocalDate birthDate, Gender gender,
                                      List<Identifier> identifiers, List<Telecom> telecom, Address address)
            implements PatientEvent {

        public PatientDemographicsUpdated {
            identifiers = identifiers == null ? List.of() : List.copyOf(identifiers);
            telecom = telecom == null ? List.of() : List.copyOf(telecom);
        }

        public static PatientDemographicsUpdated of(PatientId patientId, Demographics d) {
            return new PatientDemographicsUpdated(patientId, d.name(), d.birthDate(), d.gender(), d.identifiers(),
                    d.telecom(), d.address());
        }

        public Demographics demographics() {
            return new Demographics(name, birthDate, gender, identifiers, telecom, address);
        }
    }

    @Revision("1")
    record PatientMerged(PatientId patientId, PatientId survivorId, Instant mergedAt) implements PatientEvent {
    }

    @Revision("1")
    record PatientDeceased(PatientId patientId, Instant deceasedAt) implements PatientEvent {
    }
}
