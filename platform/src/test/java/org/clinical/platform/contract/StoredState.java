package org.clinical.platform.contract;

import org.clinical.platform.kafka.TopicReader;
import org.clinical.platform.support.TestDatabase;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything stored for one tenant, to compare before and after a rejected request: the content (not only the
 * row count) of every table of its schema (event store, command-side tables, dead letters, idempotency keys),
 * of every read-model generation and of its analytics views' schema, the tenant directory's row for it, its
 * entries in the PHI access log, every Redis key of the tenant with its value, and the records of its Kafka topic
 * (the end offset of each partition: taken once the publisher has caught up, a refused request that stored an event
 * would show there too, and one that published without storing would show only there). A tenant that does not
 * exist has an empty state.
 */
final class StoredState {

    /** The platform-wide tables' rows about one tenant: its directory entry, its id claim, a stale cache mark. */
    private static final String[][] PLATFORM_ROWS = {{"tenant", "id"}, {"tenant_claim", "id"},
            {"cache_stale_tenant", "tenant_id"}};

    private StoredState() {
    }

    static Map<String, String> of(String tenant, StringRedisTemplate redis, String kafkaBootstrapServers) {
        Map<String, String> state = new TreeMap<>();
        String t = tenant.replace('-', '_');
        try (Connection c = TestDatabase.connect(); var st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (var rs = st.executeQuery("""
                    select table_schema || '.' || table_name from information_schema.tables
                    where table_schema = 't_%1$s' or table_schema like 'r\\_%1$s\\_\\_%%' or table_schema = 'a_%1$s'
                    order by 1""".formatted(t))) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                if (table.matches("t_.*\\.audit_checkpoint(_late|_hole)?")) {
                    // sealed every few seconds in the background over events already stored, never by a request: a
                    // refused request that appended an event shows in domain_event_entry
                    continue;
                }
                // a processor's claim on its token is renewed every few seconds: owner and timestamp are no data
                String row = table.endsWith(".token_entry") ? "(x.processor_name, x.segment, x.token)" : "x";
                try (var rs = st.executeQuery("select count(*) || ' rows, md5 ' || md5(coalesce(string_agg(" + row
                        + "::text, E'\\n' order by " + row + "::text), '')) from " + table + " x")) {
                    rs.next();
                    state.put(table, rs.getString(1));
                }
            }
            for (String[] row : PLATFORM_ROWS) {
                try (var rs = st.executeQuery("select x::text from clinical_platform." + row[0] + " x where "
                        + row[1] + " = '" + tenant + "'")) {
                    state.put("clinical_platform." + row[0], rs.next() ? rs.getString(1) : "absent");
                }
            }
            try (var rs = st.executeQuery("select count(*) || ' rows, md5 ' || md5(coalesce(string_agg(x::text, E'\\n'"
                    + " order by x.id), '')) from clinical_platform.access_log x where tenant_id = '" + tenant + "'")) {
                rs.next();
                state.put("clinical_platform.access_log", rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        for (String key : redis.keys("clinical:{" + tenant + "}:*")) {
            state.put("redis " + key, redis.type(key).code() + " " + (redis.type(key).code().equals("string")
                    ? redis.opsForValue().get(key) : String.valueOf(redis.opsForHash().entries(key))));
        }
        String topic = "clinical." + tenant + ".events";
        state.put("kafka " + topic, String.valueOf(TopicReader.endOffsets(kafkaBootstrapServers, topic)));
        return state;
    }
}
