package org.clinical.projections.readmodel;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Reading read-model rows. */
public final class Rows {

    private Rows() {
    }

    /** A {@code timestamptz} column as an instant, null when it is null. */
    public static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
