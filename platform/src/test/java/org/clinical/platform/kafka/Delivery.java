package org.clinical.platform.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.clinical.platform.support.TestDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a tenant's topic holds compared with its event store, as a consumer that deduplicates by event id
 * (keeping the first copy) sees it: the stored events missing from the topic, the copies beyond the first, and
 * the keys whose events, duplicates dropped, are not in their stored order.
 */
record Delivery(List<Stored> stored, List<String> missing, List<TopicReader.Read> duplicates,
                List<String> outOfOrderKeys, List<String> wrongKeys) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A stored event: its id, aggregate (the record's key), sequence and position. */
    record Stored(String eventId, String aggregateId, long sequence, long position) {
    }

    static Delivery of(String tenant, List<TopicReader.Read> records) {
        List<Stored> stored = stored(tenant);
        Map<String, Stored> byId = new HashMap<>();
        stored.forEach(s -> byId.put(s.eventId(), s));
        Set<String> seen = new HashSet<>();
        List<TopicReader.Read> duplicates = new ArrayList<>();
        List<String> wrongKeys = new ArrayList<>();
        Map<String, Long> lastSequence = new LinkedHashMap<>();
        List<String> outOfOrder = new ArrayList<>();
        for (TopicReader.Read record : records) {
            String eventId = record.headers().get("eventId");
            if (!seen.add(eventId)) {
                duplicates.add(record);
                continue;
            }
            Stored event = byId.get(eventId);
            if (event == null || !event.aggregateId().equals(record.key())) {
                wrongKeys.add(eventId + " key " + record.key());
                continue;
            }
            Long before = lastSequence.put(record.key(), event.sequence());
            if (before != null && before >= event.sequence()) {
                outOfOrder.add(record.key() + ": " + event.sequence() + " after " + before);
            }
        }
        List<String> missing = stored.stream().map(Stored::eventId).filter(id -> !seen.contains(id)).toList();
        return new Delivery(stored, missing, duplicates, outOfOrder, wrongKeys);
    }

    /** The positions of the duplicated events. */
    List<Long> duplicatePositions() {
        return duplicates.stream().map(r -> Long.parseLong(r.headers().get("position"))).sorted().toList();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Stored> stored(String tenant) {
        List<Stored> stored = new ArrayList<>();
        try (Connection c = TestDatabase.connect(); var st = c.createStatement();
             var rs = st.executeQuery("select event_identifier, aggregate_identifier, sequence_number, global_index"
                     + " from t_" + tenant.replace('-', '_') + ".domain_event_entry order by global_index")) {
            while (rs.next()) {
                stored.add(new Stored(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return stored;
    }
}
