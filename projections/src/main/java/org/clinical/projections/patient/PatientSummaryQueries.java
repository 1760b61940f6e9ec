package org.clinical.projections.patient;

import org.clinical.projections.readmodel.Read;
import org.clinical.projections.readmodel.Rows;

import java.sql.Array;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads of one patient's row in the patients read model: the demographics and status of its summary, and
 * whether the read model knows the patient at all.
 */
public final class PatientSummaryQueries {

    private PatientSummaryQueries() {
    }

    /**
     * A patient's row. {@code identifiers}, {@code telecom} and {@code address} are the stored JSON as text
     * ({@code address} null when there is none).
     */
    public record PatientRow(UUID patientId, String mrn, String family, List<String> given, LocalDate birthDate,
                             String gender, boolean active, Instant deceasedAt, UUID mergedInto, String identifiers,
                             String telecom, String address, long version) {
    }

    private static final String PATIENT = """
            select patient_id, mrn, family, given, birth_date, gender, active, deceased_at, merged_into,
                   identifiers::text, telecom::text, address::text, version
            from {patients}.patient where patient_id = ?""";

    private static final String KNOWN = "select 1 from {patients}.patient where patient_id = ?";

    /** The patient's row; empty for a patient the tenant's read model does not know. */
    public static Optional<PatientRow> patient(Read read, UUID patientId) {
        return read.jdbc().query(read.sql(PATIENT),
                (rs, i) -> new PatientRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        strings(rs.getArray(4)), rs.getObject(5, LocalDate.class), rs.getString(6), rs.getBoolean(7),
                        Rows.instant(rs, 8), rs.getObject(9, UUID.class), rs.getString(10), rs.getString(11),
                        rs.getString(12), rs.getLong(13)),
                patientId).stream().findFirst();
    }

    /** Whether the tenant's read model knows the patient. */
    public static boolean known(Read read, UUID patientId) {
        return Boolean.TRUE.equals(read.jdbc().query(read.sql(KNOWN), rs -> rs.next() ? Boolean.TRUE : null,
                patientId));
    }

    static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
