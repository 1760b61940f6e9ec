package org.clinical.query.audit;

import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The SELECTs of the access log: one tenant's entries in {@code (read_at, id)} order, keyset-paginated, always
 * narrowed to the tenant of the path. {@code from}/{@code to} prune the month partitions.
 */
final class AccessLogQueries {

    private AccessLogQueries() {
    }

    /** The filters of {@code GET .../audit/access-log}; null means "any". */
    record Filter(UUID patientId, String actor, Instant from, Instant to) {
    }

    /** Where the next page starts: after this entry. */
    record After(Instant readAt, long id) {
    }

    static List<AccessLogController.AccessLogItem> page(JdbcTemplate jdbc, String tenantId, Filter filter,
                                                        After after, int limit) {
        StringBuilder sql = new StringBuilder("select id, read_at, tenant_id, patient_id, actor, roles, endpoint,"
                + " correlation_id, purpose_of_use from clinical_platform.access_log where tenant_id = ?");
        List<Object> args = new ArrayList<>(List.of(tenantId));
        if (filter.patientId() != null) {
            sql.append(" and patient_id = ?");
            args.add(filter.patientId());
        }
        if (filter.actor() != null) {
            sql.append(" and actor = ?");
            args.add(filter.actor());
        }
        if (filter.from() != null) {
            sql.append(" and read_at >= ?");
            args.add(Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            sql.append(" and read_at <= ?");
            args.add(Timestamp.from(filter.to()));
        }
        if (after != null) {
            sql.append(" and (read_at, id) > (?, ?)");
            args.add(Timestamp.from(after.readAt()));
            args.add(after.id());
        }
        sql.append(" order by read_at, id limit ?");
        args.add(limit);
        return jdbc.query(sql.toString(), AccessLogQueries::item, args.toArray());
    }

    private static AccessLogController.AccessLogItem item(ResultSet rs, int row) throws SQLException {
        Array roles = rs.getArray("roles");
        return new AccessLogController.AccessLogItem(rs.getLong("id"), rs.getTimestamp("read_at").toInstant(),
                rs.getString("tenant_id"), rs.getObject("patient_id", UUID.class), rs.getString("actor"),
                Arrays.asList((String[]) roles.getArray()), rs.getString("endpoint"), rs.getString("correlation_id"),
                rs.getString("purpose_of_use"));
    }
}
