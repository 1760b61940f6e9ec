package org.clinical.infra.eventstore;

import org.clinical.events.common.Coding;
import org.clinical.events.encounter.EncounterClass;
import org.clinical.events.encounter.EncounterEvent.EncounterCancelled;
import org.clinical.events.encounter.EncounterEvent.EncounterStarted;
import org.clinical.events.encounter.EncounterEvent.PatientDischarged;
import org.clinical.events.encounter.EncounterEvent.PatientTransferred;
import org.clinical.events.encounter.EncounterId;
import org.clinical.events.facility.FacilityEvent.FacilityRegistered;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.facility.FacilityType;
import org.clinical.events.observation.ObservationEvent.ObservationAmended;
import org.clinical.events.observation.ObservationEvent.ObservationEnteredInError;
import org.clinical.events.observation.ObservationEvent.ObservationRecorded;
import org.clinical.events.observation.ObservationId;
import org.clinical.events.observation.ObservationValue.BooleanValue;
import org.clinical.events.observation.ObservationValue.CodeValue;
import org.clinical.events.observation.ObservationValue.Component;
import org.clinical.events.observation.ObservationValue.Components;
import org.clinical.events.observation.ObservationValue.Quantity;
import org.clinical.events.observation.ObservationValue.StringValue;
import org.clinical.events.observation.ReferenceRange;
import org.clinical.events.patient.Address;
import org.clinical.events.patient.Gender;
import org.clinical.events.patient.HumanName;
import org.clinical.events.patient.Identifier;
import org.clinical.events.patient.Mrn;
import org.clinical.events.patient.PatientEvent.PatientDeceased;
import org.clinical.events.patient.PatientEvent.PatientDemographicsUpdated;
import org.clinical.events.patient.PatientEvent.PatientMerged;
import org.clinical.events.patient.PatientEvent.PatientRegistered;
import org.clinical.events.patient.PatientId;
import org.clinical.events.patient.Telecom;
import org.clinical.events.tenant.TenantEvent.TenantCreated;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * One fixed instance of every stored event type (and a few extra variants), each paired with the golden
 * file {@code src/test/resources/golden/<file>.json} that holds its stored JSON form.
 *
 * <p>A sample's file is named after the contract name of its type ({@code PatientRegistered}); extra
 * variants of a type append {@code -<variant>} ({@code ObservationRecorded-components}). The expected
 * revision is written here on purpose rather than read from {@code @Revision}: bumping a revision must be a
 * deliberate change of this table and of the golden files, together with an upcaster.
 */
final class GoldenSamples {

    /** A stored event in its golden form: contract name, revision, golden file and the Java instance. */
    record Sample(String file, String typeName, String revision, Object event) {

        @Override
        public String toString() {
            return file;
        }
    }

    static final String TENANT_ID = "north-general";
    static final FacilityId FACILITY_ID = FacilityId.of("5a0c3e1d-8b1f-4d7e-9c2a-1f6e0b7d4c31");
    static final PatientId PATIENT_ID = PatientId.of("0b7e6a1c-2f4d-4c8a-9e3b-5d1f2a6c7e80");
    static final PatientId SURVIVOR_ID = PatientId.of("9d4f2b7a-6c1e-4a3b-8f5d-2e7c0a9b1d64");
    static final EncounterId ENCOUNTER_ID = EncounterId.of("c3e8a1f0-7d2b-4e6c-a9f1-3b5d7e0c2a48");
    static final EncounterId CANCELLED_ENCOUNTER_ID = EncounterId.of("e1a7c5d3-4b9f-4f2e-8d6a-0c3b5e7f9a12");
    static final ObservationId OBSERVATION_ID = ObservationId.of("7f2d9c4e-1a6b-4c8d-b3e5-9a0f2d4c6e81");
    static final ObservationId PANEL_ID = ObservationId.of("2b6e0a8c-3d5f-4a1b-9c7e-4f8a2c6e0b93");
    static final ObservationId CODE_OBSERVATION_ID = ObservationId.of("4d8a2c6e-5f1b-4b3d-8e9a-6c0e4a8d2f15");
    static final ObservationId STRING_OBSERVATION_ID = ObservationId.of("6f0c4e8a-7b3d-4d5f-a1c2-8e2a6c0f4b37");
    static final ObservationId BOOLEAN_OBSERVATION_ID = ObservationId.of("8b2e6a0c-9d5f-4f7b-b3e4-0a4c8e2b6d59");

    static final String LOINC = "http://loinc.org";
    static final String SNOMED = "http://snomed.info/sct";

    private GoldenSamples() {
    }

    static List<Sample> all() {
        return List.of(
                sample("TenantCreated", "1", tenantCreated()),
                sample("FacilityRegistered", "1", facilityRegistered()),
                sample("PatientRegistered", "2", patientRegistered()),
                sample("PatientDemographicsUpdated", "1", patientDemographicsUpdated()),
                sample("PatientMerged", "1", patientMerged()),
                sample("PatientDeceased", "1", patientDeceased()),
                sample("EncounterStarted", "1", encounterStarted()),
                sample("PatientTransferred", "1", patientTransferred()),
                sample("PatientDischarged", "1", patientDischarged()),
                sample("EncounterCancelled", "1", encounterCancelled()),
                sample("ObservationRecorded", "1", observationRecordedQuantity()),
                variant("ObservationRecorded", "code", "1", observationRecordedCode()),
                variant("ObservationRecorded", "string", "1", observationRecordedString()),
                variant("ObservationRecorded", "boolean", "1", observationRecordedBoolean()),
                variant("ObservationRecorded", "components", "1", observationRecordedComponents()),
                sample("ObservationAmended", "1", observationAmended()),
                sample("ObservationEnteredInError", "1", observationEnteredInError()));
    }

    private static Sample sample(String typeName, String revision, Object event) {
        return new Sample(typeName, typeName, revision, event);
    }

    private static Sample variant(String typeName, String variant, String revision, Object event) {
        return new Sample(typeName + "-" + variant, typeName, revision, event);
    }

    /**
     * The golden files in the source tree, not on the classpath: a golden file deleted from
     * {@code src/test/resources} must count as missing even while a stale copy lingers in {@code target}.
     */
    static Path goldenDirectory() {
        Path directory = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .resolve("src/test/resources/golden");
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException("no golden directory at " + directory.toAbsolutePath()
                    + ": run the test from the infra module directory (Maven does)");
        }
        return directory;
    }

    /** The golden file of a sample ({@code PatientRegistered}), or empty if there is none. */
    static Optional<byte[]> golden(String file) {
        Path path = goldenDirectory().resolve(file + ".json");
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Instant at(String instant) {
        return Instant.parse(instant);
    }

    // --- tenant and facility -------------------------------------------------------------------------

    static TenantCreated tenantCreated() {
        return new TenantCreated(TENANT_ID, "North General Hospital Group", "default", at("2025-03-01T07:00:00Z"));
    }

    static FacilityRegistered facilityRegistered() {
        return new FacilityRegistered(FACILITY_ID, "NGH-MAIN", "North General Main Campus", FacilityType.HOSPITAL,
                420, at("2025-03-01T07:30:00Z"));
    }

    // --- patient ------------------------------------------------------------------------------------

    static PatientRegistered patientRegistered() {
        return new PatientRegistered(PATIENT_ID, Mrn.of("MRN-000123"),
                new HumanName("Lindqvist", List.of("Anna", "Åsa")), LocalDate.parse("1980-04-02"), Gender.FEMALE,
                List.of(new Identifier("urn:oid:1.2.752.129.2.1.3.1", "198004021234")),
                List.of(new Telecom("phone", "+46 70 123 45 67", "mobile"),
                        new Telecom("email", "anna.lindqvist@example.org", "home")),
                new Address(List.of("Storgatan 1", "lgh 1102"), "Uppsala", "Uppsala län", "753 20", "SE"));
    }

    /** The name corrected, contact points cleared and the address removed: an empty list and a null. */
    static PatientDemographicsUpdated patientDemographicsUpdated() {
        return new PatientDemographicsUpdated(PATIENT_ID, new HumanName("Lindqvist-Berg", List.of("Anna", "Åsa")),
                LocalDate.parse("1980-04-02"), Gender.FEMALE,
                List.of(new Identifier("urn:oid:1.2.752.129.2.1.3.1", "198004021234")), List.of(), null);
    }

    static PatientMerged patientMerged() {
        return new PatientMerged(PATIENT_ID, SURVIVOR_ID, at("2025-03-05T10:30:00Z"));
    }

    static PatientDeceased patientDeceased() {
        return new PatientDeceased(SURVIVOR_ID, at("2025-03-20T23:47:00Z"));
    }

    // --- encounter ----------------------------------------------------------------------------------

    static EncounterStarted encounterStarted() {
        return new EncounterStarted(ENCOUNTER_ID, PATIENT_ID, EncounterClass.IMP, FACILITY_ID, "Ward 4B, bed 12",
                at("2025-03-01T08:15:00Z"), new Coding(SNOMED, "233604007", "Pneumonia"));
    }

    static PatientTransferred patientTransferred() {
        return new PatientTransferred(ENCOUNTER_ID, PATIENT_ID, "Ward 4B, bed 12", "ICU, bed 3",
                at("2025-03-02T14:40:00Z"));
    }

    static PatientDischarged patientDischarged() {
        return new PatientDischarged(ENCOUNTER_ID, PATIENT_ID, at("2025-03-09T11:00:00Z"), "home");
    }

    static EncounterCancelled encounterCancelled() {
        return new EncounterCancelled(CANCELLED_ENCOUNTER_ID, PATIENT_ID, "registered in error",
                at("2025-03-01T09:05:00Z"));
    }

    // --- observation --------------------------------------------------------------------------------

    /** A lab quantity on the encounter, with a reference range. */
    static ObservationRecorded observationRecordedQuantity() {
        return new ObservationRecorded(OBSERVATION_ID, PATIENT_ID, ENCOUNTER_ID, FACILITY_ID,
                new Coding(LOINC, "15074-8", "Glucose [Moles/volume] in Blood"), "laboratory",
                at("2025-03-01T09:30:00Z"), new Quantity(new BigDecimal("5.4"), "mmol/L"),
                new ReferenceRange(new BigDecimal("3.9"), new BigDecimal("7.8")));
    }

    /** A coded value outside any encounter: encounterId, facilityId and referenceRange are null. */
    static ObservationRecorded observationRecordedCode() {
        return new ObservationRecorded(CODE_OBSERVATION_ID, PATIENT_ID, null, null,
                new Coding(LOINC, "882-1", "ABO and Rh group [Type] in Blood"), "laboratory",
                at("2025-02-20T13:05:00Z"),
                new CodeValue(new Coding(SNOMED, "278149003", "Blood group A Rh(D) positive")), null);
    }

    static ObservationRecorded observationRecordedString() {
        return new ObservationRecorded(STRING_OBSERVATION_ID, PATIENT_ID, ENCOUNTER_ID, FACILITY_ID,
                new Coding(LOINC, "5767-9", "Appearance of Urine"), "laboratory", at("2025-03-01T10:10:00Z"),
                new StringValue("clear"), null);
    }

    /** A boolean observation; category and the code's display are optional and left null here. */
    static ObservationRecorded observationRecordedBoolean() {
        return new ObservationRecorded(BOOLEAN_OBSERVATION_ID, PATIENT_ID, ENCOUNTER_ID, FACILITY_ID,
                new Coding("urn:clinical:local", "isolation-required", null), null, at("2025-03-01T08:20:00Z"),
                new BooleanValue(false), null);
    }

    /** A blood pressure panel: systolic and diastolic components, each a quantity in mm[Hg]. */
    static ObservationRecorded observationRecordedComponents() {
        return new ObservationRecorded(PANEL_ID, PATIENT_ID, ENCOUNTER_ID, FACILITY_ID,
                new Coding(LOINC, "85354-9", "Blood pressure panel with all children optional"), "vital-signs",
                at("2025-03-01T08:45:00Z"), new Components(List.of(
                new Component(new Coding(LOINC, "8480-6", "Systolic blood pressure"),
                        new Quantity(new BigDecimal("128"), "mm[Hg]")),
                new Component(new Coding(LOINC, "8462-4", "Diastolic blood pressure"),
                        new Quantity(new BigDecimal("82"), "mm[Hg]")))), null);
    }

    static ObservationAmended observationAmended() {
        return new ObservationAmended(OBSERVATION_ID, PATIENT_ID, new Quantity(new BigDecimal("5.9"), "mmol/L"),
                new ReferenceRange(new BigDecimal("3.9"), new BigDecimal("7.8")), "transcription error",
                at("2025-03-01T11:00:00Z"));
    }

    static ObservationEnteredInError observationEnteredInError() {
        return new ObservationEnteredInError(STRING_OBSERVATION_ID, PATIENT_ID, "recorded on the wrong patient",
                at("2025-03-01T12:15:00Z"));
    }
}
