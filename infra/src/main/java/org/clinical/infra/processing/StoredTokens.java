package org.clinical.infra.processing;

import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.clinical.infra.tenant.Tenant;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A processor's token as last committed in its tenant's {@code token_entry} (segment 0), read without claiming it:
 * what the projections' positions and the Kafka publisher's lag are measured from.
 */
public final class StoredTokens {

    private StoredTokens() {
    }

    /** The token, or null when the processor has none yet (or has not stored a position). */
    public static TrackingToken read(JdbcTemplate jdbc, Serializer serializer, Tenant tenant, String processor) {
        return jdbc.query("select token, token_type from " + tenant.schema() + ".token_entry"
                + " where processor_name = ? and segment = 0", rs -> {
            if (!rs.next() || rs.getBytes(1) == null) {
                return null;
            }
            return serializer.deserialize(new SimpleSerializedObject<>(rs.getBytes(1), byte[].class,
                    new SimpleSerializedType(rs.getString(2), null)));
        }, processor);
    }
}
