package org.clinical.platform.edges;

import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.clinical.platform.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event whose transaction commits late, after more than 10,000 events committed behind it in large batches,
 * is still projected: the processors keep its position as a gap for as long as a transaction can stay open,
 * instead of giving it up after Axon's default 10,000 positions.
 */
class LateCommitTest extends PlatformTest {

    private static final int EVENTS_BEHIND = 12_000;
    private static final int BATCH = 4_000;

    @Test
    void an_event_committed_after_twelve_thousand_later_events_is_still_projected() throws SQLException {
        String tenant = newTenant();
        String template = newPatient(tenant, "MRN-TEMPLATE");
        String held = UUID.randomUUID().toString();
        try (Connection holder = TestDatabase.connect()) {
            holder.setAutoCommit(false);
            long heldPosition = insertCopy(holder, tenant, template, held, "MRN-HELD");
            long last = commitBatchesBehind(tenant, template);
            assertThat(last - heldPosition).isGreaterThan(10_000);
            String lastBulk = "/api/v1/" + tenant + "/patients?mrn=BULK-" + EVENTS_BEHIND;
            awaitUntil(tenant, () -> api.get(lastBulk).token(CLINICIAN).header("X-Min-Position", Long.toString(last))
                    .send().status() == 200);
            assertThat(api.get(lastBulk).token(CLINICIAN).send().body().get("items")).hasSize(1);
            assertThat(api.get("/api/v1/" + tenant + "/patients/" + held).token(CLINICIAN).send().status())
                    .isEqualTo(404);
            assertThat(gapKept(tenant, heldPosition)).as("the held position is still a gap of the token").isTrue();

            holder.commit();

            awaitUntil(tenant, () -> api.get("/api/v1/" + tenant + "/patients/" + held).token(CLINICIAN)
                    .header("X-Min-Position", Long.toString(last)).send().status() == 200);
            Api.Response summary = api.get("/api/v1/" + tenant + "/patients/" + held).token(CLINICIAN).send();
            assertThat(summary.body().get("mrn").asText()).isEqualTo("MRN-HELD");
            assertThat(gapKept(tenant, heldPosition)).isFalse();
        }
    }

    /** A copy of the template's PatientRegistered for another patient, in the holder's open transaction. */
    private static long insertCopy(Connection connection, String tenant, String template, String patient,
                                   String mrn) throws SQLException {
        try (var insert = connection.prepareStatement("insert into " + schema(tenant) + ".domain_event_entry"
                + " (event_identifier, aggregate_identifier, sequence_number, type, time_stamp, payload_type,"
                + " payload_revision, payload, meta_data)"
                + " select ?, ?, 0, type, ?, payload_type, payload_revision,"
                + " convert_to(replace(replace(convert_from(payload, 'UTF8'), aggregate_identifier, ?),"
                + " 'MRN-TEMPLATE', ?), 'UTF8'), meta_data"
                + " from " + schema(tenant) + ".domain_event_entry where aggregate_identifier = ?"
                + " returning global_index")) {
            insert.setString(1, UUID.randomUUID().toString());
            insert.setString(2, patient);
            insert.setString(3, Instant.now().toString());
            insert.setString(4, patient);
            insert.setString(5, mrn);
            insert.setString(6, template);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Copies for new patients BULK-1..BULK-n, committed in batches while the holder's transaction is open. */
    private static long commitBatchesBehind(String tenant, String template) throws SQLException {
        long last = 0;
        try (Connection c = TestDatabase.connect()) {
            for (int from = 1; from <= EVENTS_BEHIND; from += BATCH) {
                try (var insert = c.prepareStatement("insert into " + schema(tenant) + ".domain_event_entry"
                        + " (event_identifier, aggregate_identifier, sequence_number, type, time_stamp, payload_type,"
                        + " payload_revision, payload, meta_data)"
                        + " select gen_random_uuid()::text, p.id, 0, e.type, ?, e.payload_type, e.payload_revision,"
                        + " convert_to(replace(replace(convert_from(e.payload, 'UTF8'), e.aggregate_identifier, p.id),"
                        + " 'MRN-TEMPLATE', 'BULK-' || p.n), 'UTF8'), e.meta_data"
                        + " from " + schema(tenant) + ".domain_event_entry e,"
                        + " (select n, gen_random_uuid()::text as id from generate_series(?, ?) n) p"
                        + " where e.aggregate_identifier = ? order by p.n returning global_index")) {
                    insert.setString(1, Instant.now().toString());
                    insert.setInt(2, from);
                    insert.setInt(3, from + BATCH - 1);
                    insert.setString(4, template);
                    try (ResultSet rs = insert.executeQuery()) {
                        while (rs.next()) {
                            last = Math.max(last, rs.getLong(1));
                        }
                    }
                }
            }
        }
        return last;
    }

    private static boolean gapKept(String tenant, long position) {
        return queryLong("select count(*) from " + schema(tenant) + ".token_entry where processor_name = 'patients'"
                + " and convert_from(token, 'UTF8')::jsonb -> 'gaps' @> jsonb_build_array(?::bigint)", position) > 0;
    }

    private static void awaitUntil(String tenant, BooleanSupplier done) {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!done.getAsBoolean()) {
            assertThat(Instant.now()).as(() -> "condition met within 60 s; tokens: " + queryStrings("select"
                    + " processor_name || ' ' || left(convert_from(token, 'UTF8'), 300) from " + schema(tenant)
                    + ".token_entry")).isBefore(deadline);
            LockSupport.parkNanos(50_000_000);
        }
    }
}
