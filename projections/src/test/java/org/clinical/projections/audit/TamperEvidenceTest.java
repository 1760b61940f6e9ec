package org.clinical.projections.audit;

import org.clinical.events.common.Coding;
import org.clinical.events.encounter.EncounterId;
import org.clinical.events.observation.ObservationEvent.ObservationAmended;
import org.clinical.events.observation.ObservationEvent.ObservationRecorded;
import org.clinical.events.observation.ObservationId;
import org.clinical.events.observation.ObservationValue.Quantity;
import org.clinical.events.patient.Gender;
import org.clinical.events.patient.HumanName;
import org.clinical.events.patient.Mrn;
import org.clinical.events.patient.PatientEvent.PatientRegistered;
import org.clinical.events.patient.PatientId;
import org.clinical.infra.tenant.ActiveTenants;
import org.clinical.infra.tenant.Tenant;
import org.clinical.projections.audit.AuditVerification.Break;
import org.clinical.projections.audit.AuditVerification.Kind;
import org.clinical.projections.audit.AuditVerification.Report;
import org.clinical.projections.support.ProjectionHarness;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tamper evidence of a tenant's event store (docs/operations.md "Audit: tamper evidence"): the chain hash the
 * insert trigger sets, recomputed here from the stored columns by an independent implementation of the canonical
 * bytes; the checkpoints the sealer seals; and what the verification finds when a superuser, past the append-only
 * triggers, alters, deletes or inserts an event.
 */
class TamperEvidenceTest {

    private static final Instant T1 = Instant.parse("2025-03-01T08:15:00Z");
    private static final byte[] ZERO = new byte[32];

    private ProjectionHarness audit;
    private Tenant tenant;
    private JdbcTemplate jdbc;
    private CheckpointSigner signer;
    private AuditSealer sealer;

    @BeforeEach
    void start() {
        audit = ProjectionHarness.start(AuditProjection.READ_MODEL, AuditProjection::new);
        audit.at(T1);
        tenant = audit.read().tenant();
        jdbc = audit.region().jdbc();
        signer = CheckpointSigner.of("a-test-signing-key-of-at-least-32-bytes");
        sealer = new AuditSealer(new ActiveTenants(), null, signer, Duration.ofHours(1));
    }

    @AfterEach
    void stop() {
        sealer.close();
        audit.close();
    }

    @Test
    void each_chain_hash_links_its_aggregates_previous_one_from_the_first_event_and_through_a_batch_of_one_aggregate()
            throws Exception {
        PatientId patient = patient();
        ObservationId observation = new ObservationId(UUID.randomUUID());
        audit.append(registered(patient));
        List<Object> batch = new ArrayList<>(List.of(recorded(observation, patient)));
        for (int i = 1; i <= 20; i++) {
            batch.add(amended(observation, patient, 80 + i));
        }
        audit.append(batch.toArray());

        List<Map<String, Object>> rows = jdbc.queryForList("select * from " + events()
                + " order by aggregate_identifier, sequence_number");
        assertThat(rows).hasSize(1 + 21);
        String aggregate = null;
        byte[] previous = ZERO;
        for (Map<String, Object> row : rows) {
            if (!row.get("aggregate_identifier").equals(aggregate)) {
                aggregate = (String) row.get("aggregate_identifier");
                previous = ZERO;
                assertThat(row.get("sequence_number")).isEqualTo(0L);
            }
            byte[] expected = sha256(previous, canonical(row));
            assertThat((byte[]) row.get("chain_hash")).as("chain hash of %s", row.get("global_index"))
                    .isEqualTo(expected);
            previous = expected;
        }

        Report report = verify();
        assertThat(report.valid()).isTrue();
        assertThat(report.checkedEvents()).isEqualTo(count());
        assertThat(report.unsealedEvents()).isEqualTo(count());
    }

    @Test
    void the_migration_chains_the_events_stored_before_it_and_the_trigger_continues_their_chains() throws Exception {
        String schema = "t_backfill_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        Flyway.configure().dataSource(audit.region().dataSource()).schemas(schema).createSchemas(true)
                .locations("classpath:db/tenant").placeholders(Map.of("schema", schema)).target("2.1").load()
                .migrate();
        String table = schema + ".domain_event_entry";
        // 70 events of 7 aggregates, with null types, revisions and metadata, and text beyond ASCII
        jdbc.update("insert into " + table + " (event_identifier, aggregate_identifier, sequence_number, type,"
                + " time_stamp, payload_type, payload_revision, payload, meta_data)"
                + " select gen_random_uuid()::text, 'agg-é-' || (i % 7), i / 7,"
                + " case when i % 5 = 0 then null else 'Patient' end, '2025-03-01T08:15:00.000000Z',"
                + " 'PatientRegistered', case when i % 3 = 0 then null else '2' end,"
                + " convert_to('{\"n\": ' || i || ', \"name\": \"Zoë\"}', 'UTF8'),"
                + " case when i % 4 = 0 then null else convert_to('{\"actor\": \"a\"}', 'UTF8') end"
                + " from generate_series(0, 69) i order by i");

        Flyway.configure().dataSource(audit.region().dataSource()).schemas(schema)
                .locations("classpath:db/tenant").placeholders(Map.of("schema", schema)).load().migrate();
        jdbc.update("insert into " + table + " (event_identifier, aggregate_identifier, sequence_number, type,"
                + " time_stamp, payload_type, payload_revision, payload, meta_data)"
                + " select gen_random_uuid()::text, 'agg-é-' || i, 10, 'Patient', '2025-03-01T08:15:00.000000Z',"
                + " 'PatientDeceased', '1', '\\x7b7d', null from generate_series(0, 6) i");

        List<Map<String, Object>> rows = jdbc.queryForList("select * from " + table
                + " order by aggregate_identifier, sequence_number");
        assertThat(rows).hasSize(77);
        byte[] previous = ZERO;
        String aggregate = null;
        for (Map<String, Object> row : rows) {
            if (!row.get("aggregate_identifier").equals(aggregate)) {
                aggregate = (String) row.get("aggregate_identifier");
                previous = ZERO;
            }
            byte[] expected = sha256(previous, canonical(row));
            assertThat((byte[]) row.get("chain_hash")).as("chain hash of %s", row.get("global_index"))
                    .isEqualTo(expected);
            previous = expected;
        }
        assertThat(jdbc.queryForList("select tgname from pg_trigger where tgrelid = ?::regclass and tgenabled = 'O'"
                + " and not tgisinternal", String.class, table))
                .as("the append-only trigger is enabled again").contains("domain_event_entry_immutable",
                        "domain_event_entry_chain");
        jdbc.execute("drop schema " + schema + " cascade");
    }

    @Test
    void an_intact_store_is_valid_and_every_event_sealed_by_signed_checkpoints() {
        PatientId patient = patient();
        audit.append(registered(patient));
        audit.append(recorded(new ObservationId(UUID.randomUUID()), patient));
        List<Checkpoint> sealed = seal();
        audit.append(registered(patient()));
        sealed.addAll(seal());

        assertThat(sealed).hasSize(2);
        Report report = verify();
        assertThat(report.valid()).as("%s", report.breaks()).isTrue();
        assertThat(report.firstBrokenPosition()).isNull();
        assertThat(report.checkedEvents()).isEqualTo(count());
        assertThat(report.sealedEvents()).isEqualTo(count());
        assertThat(report.unsealedEvents()).isZero();
        assertThat(report.checkpoints()).isEqualTo(2);
        assertThat(report.signaturesChecked()).isTrue();
        assertThat(report.lastCheckpoint().upperPosition()).isEqualTo(head());
        assertThat(report.lastCheckpoint().eventCount()).isEqualTo(1);
        assertThat(seal()).as("nothing new to seal").isEmpty();
    }

    @Test
    void an_event_edited_as_superuser_is_reported_at_its_position() {
        PatientId patient = patient();
        ObservationId observation = new ObservationId(UUID.randomUUID());
        audit.append(registered(patient));
        audit.append(recorded(observation, patient));
        audit.append(amended(observation, patient, 81));
        audit.append(amended(observation, patient, 82));
        seal();
        long edited = position(observation.toString(), 1);

        superuser("update " + events() + " set payload = convert_to(replace(convert_from(payload, 'UTF8'), '81',"
                + " '18'), 'UTF8') where global_index = " + edited);

        Report report = verify();
        assertThat(report.valid()).isFalse();
        assertThat(report.firstBrokenPosition()).isEqualTo(edited);
        assertThat(report.breaks()).extracting(Break::position, Break::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple(edited, Kind.ALTERED));
        assertThat(report.checkedEvents()).isEqualTo(count());
    }

    @Test
    void an_aggregates_first_event_edited_is_reported_at_its_position_whichever_block_range_holds_it() {
        PatientId patient = patient();
        audit.append(registered(patient));
        for (int i = 0; i < 40; i++) {
            audit.append(recorded(new ObservationId(UUID.randomUUID()), patient));
        }
        seal();
        long edited = head();

        superuser("update " + events() + " set payload = convert_to(replace(convert_from(payload, 'UTF8'), '80',"
                + " '18'), 'UTF8') where global_index = " + edited);

        for (int checkBlocks : List.of(1, 2, AuditVerification.CHECK_BLOCKS)) {
            Report report = AuditVerification.verify(tenant, audit.region().jdbc(), signer, checkBlocks)
                    .orElseThrow();
            assertThat(report.breaks()).as("blocks per range: %s", checkBlocks)
                    .extracting(Break::position, Break::kind)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(edited, Kind.ALTERED));
            assertThat(report.firstBrokenPosition()).isEqualTo(edited);
            assertThat(report.checkedEvents()).isEqualTo(count());
        }
        assertThat(verify().breaks()).extracting(Break::position).containsExactly(edited);
        assertThat(jdbc.queryForObject("select pg_relation_size(?) / current_setting('block_size')::bigint",
                Long.class, events())).as("the store spans several blocks, so several ranges and both checkers")
                .isGreaterThan(AuditVerification.CHECKERS);
    }

    @Test
    void every_break_is_counted_and_the_lowest_listed_in_position_order() {
        PatientId patient = patient();
        audit.append(registered(patient));
        for (int i = 0; i < AuditVerification.MAX_LISTED_BREAKS + 30; i++) {
            audit.append(recorded(new ObservationId(UUID.randomUUID()), patient));
        }
        seal();
        List<Long> observations = jdbc.queryForList("select global_index from " + events()
                + " where payload_type like '%ObservationRecorded' order by global_index", Long.class);
        assertThat(observations).hasSize(AuditVerification.MAX_LISTED_BREAKS + 30);

        superuser("update " + events() + " set payload = convert_to(replace(convert_from(payload, 'UTF8'), '80',"
                + " '18'), 'UTF8') where payload_type like '%ObservationRecorded'");

        for (int checkBlocks : List.of(1, AuditVerification.CHECK_BLOCKS)) {
            Report report = AuditVerification.verify(tenant, audit.region().jdbc(), signer, checkBlocks)
                    .orElseThrow();
            assertThat(report.valid()).isFalse();
            assertThat(report.breakCount()).as("blocks per range: %s", checkBlocks)
                    .isEqualTo(observations.size());
            assertThat(report.breaks()).extracting(Break::position)
                    .containsExactlyElementsOf(observations.subList(0, AuditVerification.MAX_LISTED_BREAKS));
            assertThat(report.breaks()).extracting(Break::kind).containsOnly(Kind.ALTERED);
            assertThat(report.firstBrokenPosition()).isEqualTo(observations.get(0));
        }
    }

    @Test
    void an_event_edited_with_its_chain_hash_recomputed_is_found_by_its_checkpoint() {
        PatientId patient = patient();
        ObservationId observation = new ObservationId(UUID.randomUUID());
        audit.append(registered(patient));
        audit.append(recorded(observation, patient));
        audit.append(amended(observation, patient, 81));
        seal();
        long edited = position(observation.toString(), 1);

        // the newest event of its aggregate, rewritten with a chain hash recomputed the way the trigger does
        superuser("update " + events() + " e set payload = convert_to(replace(convert_from(e.payload, 'UTF8'), '81',"
                + " '18'), 'UTF8') where global_index = " + edited);
        superuser("update " + events() + " e set chain_hash = sha256(p.chain_hash || " + tenant.schema()
                + ".event_chain_bytes(e.global_index, e.event_identifier, e.aggregate_identifier, e.sequence_number,"
                + " e.type, e.time_stamp, e.payload_type, e.payload_revision, e.payload, e.meta_data))"
                + " from " + events() + " p where p.aggregate_identifier = e.aggregate_identifier"
                + " and p.sequence_number = e.sequence_number - 1 and e.global_index = " + edited);

        Report report = verify();
        assertThat(report.valid()).isFalse();
        assertThat(report.breaks()).singleElement().satisfies(b -> {
            assertThat(b.kind()).isEqualTo(Kind.ALTERED);
            assertThat(b.checkpointId()).isEqualTo(report.lastCheckpoint().id());
            assertThat(b.position()).isBetween(report.lastCheckpoint().rangeStart() + 1, edited);
        });
    }

    @Test
    void the_newest_event_deleted_after_it_was_sealed_is_noticed_at_its_position() {
        PatientId patient = patient();
        audit.append(registered(patient));
        audit.append(recorded(new ObservationId(UUID.randomUUID()), patient));
        seal();
        long newest = head();

        superuser("delete from " + events() + " where global_index = " + newest);

        Report report = verify();
        assertThat(report.valid()).isFalse();
        assertThat(report.firstBrokenPosition()).isEqualTo(newest);
        assertThat(report.breaks()).extracting(Break::kind).containsExactly(Kind.DELETED);
        assertThat(report.checkedEvents()).isEqualTo(count());
    }

    @Test
    void the_newest_event_deleted_before_it_was_sealed_is_not_seen_the_documented_window() {
        PatientId patient = patient();
        audit.append(registered(patient));
        seal();
        audit.append(recorded(new ObservationId(UUID.randomUUID()), patient));
        long newest = head();

        superuser("delete from " + events() + " where global_index = " + newest);

        Report report = verify();
        assertThat(report.valid()).as("an unsealed newest event of its aggregate leaves no trace").isTrue();
        assertThat(report.lastCheckpoint().upperPosition()).isLessThan(newest);
    }

    @Test
    void an_event_deleted_from_the_middle_of_its_aggregate_is_found_by_the_chain_before_any_seal() {
        PatientId patient = patient();
        ObservationId observation = new ObservationId(UUID.randomUUID());
        audit.append(registered(patient));
        audit.append(recorded(observation, patient));
        audit.append(amended(observation, patient, 81));
        audit.append(amended(observation, patient, 82));
        long deleted = position(observation.toString(), 1);
        long successor = position(observation.toString(), 2);

        superuser("delete from " + events() + " where global_index = " + deleted);

        Report report = verify();
        assertThat(report.valid()).isFalse();
        assertThat(report.breaks()).extracting(Break::position, Break::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple(successor, Kind.DELETED));
    }

    @Test
    void a_late_commit_is_sealed_late_and_an_event_inserted_into_an_old_hole_is_found_at_its_position()
            throws Exception {
        PatientId patient = patient();
        audit.append(registered(patient));
        long lateCommit;
        long hole;
        try (Connection open = audit.region().dataSource().getConnection()) {
            open.setAutoCommit(false);
            lateCommit = copyOfNewest(open);                   // takes a position, commits after the next seal
            try (Connection rolledBack = audit.region().dataSource().getConnection()) {
                rolledBack.setAutoCommit(false);
                hole = copyOfNewest(rolledBack);               // takes a position, never commits
                rolledBack.rollback();
            }
            audit.append(registered(patient()));
            seal();
            open.commit();
        }
        Report beforeSeal = verify();
        assertThat(beforeSeal.valid()).as("%s", beforeSeal.breaks()).isTrue();
        assertThat(beforeSeal.pendingLateEvents()).isEqualTo(1);

        Checkpoint sealedLate = seal().get(0);
        assertThat(sealedLate.lateCount()).isEqualTo(1);
        assertThat(sealedLate.firstPosition()).isEqualTo(lateCommit);
        Report afterSeal = verify();
        assertThat(afterSeal.valid()).as("%s", afterSeal.breaks()).isTrue();
        assertThat(afterSeal.pendingLateEvents()).isZero();
        assertThat(afterSeal.sealedEvents()).isEqualTo(count());

        // an hour later, an event appears in the hole the rolled-back insert left
        superuser("update " + tenant.schema() + ".audit_checkpoint_hole set since = since - interval '2 hours'");
        jdbc.update("insert into " + events() + " (global_index, event_identifier, aggregate_identifier,"
                + " sequence_number, type, time_stamp, payload_type, payload_revision, payload, meta_data)"
                + " select " + hole + ", gen_random_uuid()::text, gen_random_uuid()::text, 0, type, time_stamp,"
                + " payload_type, payload_revision, payload, meta_data from " + events() + " where global_index = "
                + lateCommit);
        assertThat(seal()).as("not taken for a late commit").isEmpty();

        Report report = verify();
        assertThat(report.valid()).isFalse();
        assertThat(report.firstBrokenPosition()).isEqualTo(hole);
        assertThat(report.breaks()).extracting(Break::position, Break::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple(hole, Kind.INSERTED));
    }

    @Test
    void a_forged_checkpoint_fails_its_signature() {
        audit.append(registered(patient()));
        Checkpoint checkpoint = seal().get(0);

        superuser("update " + tenant.schema() + ".audit_checkpoint set sealed_at = sealed_at - interval '1 day'"
                + " where checkpoint_id = " + checkpoint.id());

        Report report = verify();
        assertThat(report.valid()).isFalse();
        assertThat(report.breaks()).extracting(Break::kind, Break::checkpointId).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Kind.CHECKPOINT, checkpoint.id()));
        assertThat(AuditVerification.verify(tenant, audit.region().queryJdbc(), CheckpointSigner.of(null))
                .orElseThrow().valid()).as("without a key, signatures are not checked").isTrue();
    }

    // --- helpers

    private List<Checkpoint> seal() {
        return new ArrayList<>(sealer.seal(tenant, audit.region()));
    }

    /**
     * The verification on the query pool (one connection: the walk's connection checks every chain link itself)
     * and on the command pool (connections to spare: checkers take the ranges of heap blocks, one block each, while
     * the walk runs), which must agree.
     */
    private Report verify() {
        Report alone = AuditVerification.verify(tenant, audit.region().queryJdbc(), signer).orElseThrow();
        Report shared = AuditVerification.verify(tenant, audit.region().jdbc(), signer, 1).orElseThrow();
        assertThat(shared).usingRecursiveComparison().ignoringFields("verifiedAt").isEqualTo(alone);
        return alone;
    }

    private String events() {
        return tenant.schema() + ".domain_event_entry";
    }

    private long count() {
        return jdbc.queryForObject("select count(*) from " + events(), Long.class);
    }

    private long head() {
        return jdbc.queryForObject("select max(global_index) from " + events(), Long.class);
    }

    private long position(String aggregate, long sequence) {
        return jdbc.queryForObject("select global_index from " + events()
                + " where aggregate_identifier = ? and sequence_number = ?", Long.class, aggregate, sequence);
    }

    /** As superuser, past the append-only triggers, in a transaction of its own. */
    private void superuser(String sql) {
        new TransactionTemplate(audit.region().transactionManager()).executeWithoutResult(tx -> {
            jdbc.execute("set local session_replication_role = replica");
            assertThat(jdbc.update(sql)).as(sql).isPositive();
        });
    }

    /** A copy of the newest event as the first of a new aggregate, in the connection's open transaction. */
    private long copyOfNewest(Connection connection) throws Exception {
        try (var insert = connection.prepareStatement("insert into " + events() + " (event_identifier,"
                + " aggregate_identifier, sequence_number, type, time_stamp, payload_type, payload_revision, payload,"
                + " meta_data) select gen_random_uuid()::text, gen_random_uuid()::text, 0, type, time_stamp,"
                + " payload_type, payload_revision, payload, meta_data from " + events()
                + " order by global_index desc limit 1 returning global_index");
             ResultSet rs = insert.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The canonical bytes of a row, written independently of {@code event_chain_bytes}: position and sequence as
     * 8 bytes, the text columns as one UTF-8 text of "length|value" pairs ('-' and no value for null), payload and
     * metadata each after its 4-byte length (metadata -1 when null).
     */
    private static byte[] canonical(Map<String, Object> row) {
        StringBuilder text = new StringBuilder();
        for (String column : List.of("event_identifier", "aggregate_identifier", "type", "time_stamp", "payload_type",
                "payload_revision")) {
            String value = (String) row.get(column);
            if (!text.isEmpty()) {
                text.append('|');
            }
            if (value == null) {
                text.append('-');
            } else {
                text.append(value.codePointCount(0, value.length())).append('|').append(value);
            }
        }
        byte[] payload = (byte[]) row.get("payload");
        byte[] metaData = (byte[]) row.get("meta_data");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(16).putLong((Long) row.get("global_index"))
                .putLong((Long) row.get("sequence_number")).array());
        out.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(ByteBuffer.allocate(4).putInt(payload.length).array());
        out.writeBytes(payload);
        out.writeBytes(ByteBuffer.allocate(4).putInt(metaData == null ? -1 : metaData.length).array());
        if (metaData != null) {
            out.writeBytes(metaData);
        }
        return out.toByteArray();
    }

    private static byte[] sha256(byte[] previous, byte[] bytes) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(previous);
        return sha.digest(bytes);
    }

    private static PatientId patient() {
        return new PatientId(UUID.randomUUID());
    }

    private static PatientRegistered registered(PatientId patient) {
        return new PatientRegistered(patient, new Mrn("MRN-" + patient), new HumanName("Lovelace", List.of("Ada")),
                null, Gender.FEMALE, List.of(), List.of(), null);
    }

    private static ObservationRecorded recorded(ObservationId observation, PatientId patient) {
        return new ObservationRecorded(observation, patient, new EncounterId(UUID.randomUUID()), null,
                new Coding("http://loinc.org", "8867-4", "Heart rate"), "vital-signs", T1,
                new Quantity(new BigDecimal("80"), "/min"), null);
    }

    private static ObservationAmended amended(ObservationId observation, PatientId patient, int value) {
        return new ObservationAmended(observation, patient, new Quantity(new BigDecimal(value), "/min"), null,
                "misread", T1);
    }
}
