package org.clinical.infra.eventstore;

import org.clinical.infra.tenant.Tenant;
import org.springframework.jdbc.core.JdbcTemplate;

/** The head of a tenant's event stream: the highest {@code global_index} stored, -1 while it is empty. */
public final class StreamHead {

    private StreamHead() {
    }

    public static long of(JdbcTemplate jdbc, Tenant tenant) {
        Long head = jdbc.queryForObject("select max(global_index) from " + tenant.schema() + ".domain_event_entry",
                Long.class);
        return head == null ? -1 : head;
    }
}
