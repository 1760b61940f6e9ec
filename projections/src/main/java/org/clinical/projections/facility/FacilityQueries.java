package org.clinical.projections.facility;

import org.clinical.projections.readmodel.Read;
import org.clinical.projections.readmodel.Rows;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The reads of the "facilities" read model. */
public final class FacilityQueries {

    /** A facility as the list shows it; {@code type} is hospital, clinic or lab. */
    public record Facility(UUID facilityId, String code, String name, String type, Integer beds,
                           Instant registeredAt) {
    }

    private static final String BY_CODE = """
            select facility_id, code, name, type, beds, registered_at
            from {facilities}.facility
            where code > ?
            order by code
            limit ?""";

    private FacilityQueries() {
    }

    /** Facilities ordered by code, those after {@code afterCode} (null: from the first), at most {@code limit}. */
    public static List<Facility> byCode(Read read, String afterCode, int limit) {
        return read.jdbc().query(read.sql(BY_CODE),
                (rs, i) -> new Facility(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4), (Integer) rs.getObject(5), Rows.instant(rs, 6)),
                afterCode == null ? "" : afterCode, limit);
    }
}
