package org.clinical.infra.eventstore;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.clinical.events.patient.Gender;
import org.clinical.events.patient.HumanName;
import org.clinical.events.patient.Mrn;
import org.clinical.events.patient.PatientEvent.PatientRegistered;
import org.clinical.events.patient.PatientId;
import org.clinical.projections.audit.AuditProjection;
import org.clinical.projections.readmodel.ReadModel;
import org.clinical.projections.support.ProjectionHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The processors' reads of a real tenant store under load: once a read has reached the newest event, the commits
 * of the linger wake the processor once, at its end; a commit after the linger wakes it at once; no read misses a
 * commit of this instance; a stream behind the head reads on without lingering. The clock is the test's, so the
 * linger's start and end are exact; only the deferred wake-up runs on a real timer.
 */
class TailingEventSourceTest {

    private static final Instant T1 = Instant.parse("2025-03-01T08:15:00Z");
    /**
     * Long, so that the first test's three appends fit in it by a wide margin on a slow machine: its deferred
     * wake-up is the only thing here that waits in real time.
     */
    private static final Duration LINGER = Duration.ofSeconds(3);

    private final AtomicLong now = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger wakes = new AtomicInteger();
    private ProjectionHarness store;

    @BeforeEach
    void start() {
        store = ProjectionHarness.start(new ReadModel(AuditProjection.NAME, "org/clinical/projections/audit/audit.sql",
                null), AuditProjection::new);
        store.at(T1);
    }

    @AfterEach
    void stop() {
        timer.shutdownNow();
        store.close();
    }

    @Test
    void commits_while_the_processor_lingers_wake_it_once_when_the_linger_ends_and_are_read_together() throws Exception {
        try (BlockingStream<TrackedEventMessage<?>> stream = source(1000).openStream(null)) {
            CountDownLatch woken = new CountDownLatch(1);
            stream.setOnAvailableCallback(() -> {
                wakes.incrementAndGet();
                woken.countDown();
            });
            assertThat(stream.hasNextAvailable()).isFalse();  // the head, read at the test's time 0

            for (int i = 0; i < 3; i++) {
                store.append(registered());
            }
            assertThat(wakes).hasValue(0);

            assertThat(woken.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(wakes).hasValue(1);
            assertThat(drain(stream)).hasSize(3);
        }
    }

    @Test
    void a_commit_after_the_linger_wakes_the_processor_at_once() throws Exception {
        try (BlockingStream<TrackedEventMessage<?>> stream = source(1000).openStream(null)) {
            stream.setOnAvailableCallback(wakes::incrementAndGet);
            assertThat(stream.hasNextAvailable()).isFalse();
            now.addAndGet(LINGER.toNanos());

            store.append(registered());

            assertThat(wakes).hasValue(1);  // on the committing thread, before append returned
            assertThat(drain(stream)).hasSize(1);
        }
    }

    @Test
    void a_read_while_lingering_sees_every_commit_of_this_instance_and_another_instance_s_after_the_linger() throws Exception {
        try (BlockingStream<TrackedEventMessage<?>> stream = source(1000).openStream(null)) {
            stream.setOnAvailableCallback(wakes::incrementAndGet);
            store.append(registered());
            assertThat(drain(stream)).hasSize(1);

            store.append(registered());
            assertThat(drain(stream)).as("committed here during the linger").hasSize(1);

            committedByAnotherInstance();
            assertThat(stream.hasNextAvailable()).as("no query while lingering with nothing committed here").isFalse();
            now.addAndGet(LINGER.toNanos());
            assertThat(drain(stream)).as("read once the linger is over").hasSize(1);
        }
    }

    @Test
    void a_stream_behind_the_head_reads_batch_after_batch_without_lingering() throws Exception {
        for (int i = 0; i < 5; i++) {
            store.append(registered());
        }
        try (BlockingStream<TrackedEventMessage<?>> stream = source(2).openStream(null)) {
            List<Long> positions = drain(stream).stream()
                    .map(e -> e.trackingToken().position().orElseThrow()).toList();
            assertThat(positions).containsExactly(1L, 2L, 3L, 4L, 5L);
        }
    }

    /** The tenant's source, batches of {@code batchSize}, lingering {@link #LINGER} by the test's clock. */
    private TailingEventSource source(int batchSize) {
        return store.eventSource().with(batchSize, LINGER, timer, now::get);
    }

    private static List<TrackedEventMessage<?>> drain(BlockingStream<TrackedEventMessage<?>> stream)
            throws InterruptedException {
        List<TrackedEventMessage<?>> events = new ArrayList<>();
        while (stream.hasNextAvailable()) {
            events.add(stream.nextAvailable());
        }
        return events;
    }

    /** A copy of the newest event as the next of its aggregate, committed without this instance's signal. */
    private void committedByAnotherInstance() {
        store.region().jdbc().update("insert into " + store.tenantSchema() + ".domain_event_entry (event_identifier,"
                + " aggregate_identifier, sequence_number, type, time_stamp, payload_type, payload_revision, payload,"
                + " meta_data) select ?, aggregate_identifier, sequence_number + 1, type, time_stamp, payload_type,"
                + " payload_revision, payload, meta_data from " + store.tenantSchema() + ".domain_event_entry"
                + " order by global_index desc limit 1", UUID.randomUUID().toString());
    }

    private static PatientRegistered registered() {
        PatientId patient = new PatientId(UUID.randomUUID());
        return new PatientRegistered(patient, new Mrn("MRN-" + patient), new HumanName("Lovelace", List.of("Ada")),
                null, Gender.FEMALE, List.of(), List.of(), null);
    }
}
