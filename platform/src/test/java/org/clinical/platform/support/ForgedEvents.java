package org.clinical.platform.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Events written straight into a tenant's event store: how a test hands a projection what no command can make
 * (a payload PostgreSQL text cannot hold, a patient registered twice under one MRN). Each copy takes the events of
 * an existing aggregate under a new aggregate id, in one statement per copy, with its payload's text replaced.
 */
public final class ForgedEvents {

    /** What replaces the family name of the tests' patients to make a registration no projection can store. */
    public static final String NUL_FAMILY = "\"Love\\u0000lace\"";

    private ForgedEvents() {
    }

    /**
     * Copies the events of aggregate {@code from} (only its first when {@code firstOnly}) once for each id of
     * {@code to}, the aggregate id in the payload replaced by the copy's, then each of {@code replacements}
     * (text to text, in order).
     */
    public static void copy(String schema, String from, List<String> to, boolean firstOnly,
                            Map<String, String> replacements) {
        String events = schema + ".domain_event_entry";
        String payload = "replace(convert_from(payload, 'UTF8'), aggregate_identifier, ?)";
        for (int i = 0; i < replacements.size(); i++) {
            payload = "replace(" + payload + ", ?, ?)";
        }
        String sql = """
                insert into %s (event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                                payload_type, payload_revision, payload, meta_data)
                select gen_random_uuid()::text, ?, sequence_number, type, time_stamp, payload_type, payload_revision,
                       convert_to(%s, 'UTF8'), meta_data
                from %s where aggregate_identifier = ?%s order by sequence_number"""
                .formatted(events, payload, events, firstOnly ? " and sequence_number = 0" : "");
        try (Connection c = TestDatabase.connect(); var ps = c.prepareStatement(sql)) {
            for (String id : to) {
                int p = 1;
                ps.setString(p++, id);
                ps.setString(p++, id);
                for (Map.Entry<String, String> r : replacements.entrySet()) {
                    ps.setString(p++, r.getKey());
                    ps.setString(p++, r.getValue());
                }
                ps.setString(p, from);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("forging events of " + from, e);
        }
    }
}
