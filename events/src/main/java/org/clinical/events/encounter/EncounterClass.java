package org.clinical.events.encounter;

/** HL7 v3 ActEncounterCode: ambulatory, emergency, inpatient, virtual, home health. */
public enum EncounterClass {
    AMB, EMER, IMP, VR, HH
}
