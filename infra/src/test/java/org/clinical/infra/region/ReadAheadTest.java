package org.clinical.infra.region;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A read handed over from its reader thread: every row in order, failures where they belong, nothing left running. */
class ReadAheadTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, ReadAhead.BATCH - 1, ReadAhead.BATCH, ReadAhead.BATCH + 1, 100_003})
    void the_sink_gets_every_row_in_the_reads_order_on_the_calling_thread(int rows) {
        List<Integer> handed = new ArrayList<>();
        Thread caller = Thread.currentThread();
        AtomicBoolean readOnCaller = new AtomicBoolean();

        ReadAhead.<Integer>run("test-reader", read -> {
            readOnCaller.set(Thread.currentThread() == caller);
            for (int i = 0; i < rows; i++) {
                read.accept(i);
            }
        }, row -> {
            assertThat(Thread.currentThread()).isSameAs(caller);
            handed.add(row);
        });

        assertThat(readOnCaller).isFalse();
        assertThat(handed).hasSize(rows);
        for (int i = 0; i < rows; i++) {
            assertThat(handed.get(i)).isEqualTo(i);
        }
    }

    @Test
    void a_failure_of_the_read_reaches_the_caller_after_the_rows_read_before_it() {
        IllegalStateException broken = new IllegalStateException("the connection was lost");
        List<Integer> handed = new ArrayList<>();

        assertThatThrownBy(() -> ReadAhead.<Integer>run("test-reader", read -> {
            for (int i = 0; i < 1_000; i++) {
                read.accept(i);
            }
            throw broken;
        }, handed::add)).isSameAs(broken);
        assertThat(handed).hasSize(1_000);
    }

    @Test
    void when_the_sink_fails_the_reader_stops_within_the_rows_it_may_read_ahead_and_has_finished_on_return() {
        AtomicInteger read = new AtomicInteger();
        AtomicBoolean readerFinished = new AtomicBoolean();
        UncheckedIOException gone = new UncheckedIOException(new IOException("the client went away"));
        AtomicInteger handed = new AtomicInteger();
        Consumer<Integer> sink = row -> {
            if (handed.incrementAndGet() == 10) {
                throw gone;
            }
        };

        assertThatThrownBy(() -> ReadAhead.<Integer>run("test-reader", rows -> {
            try {
                for (int i = 0; i < 10_000_000; i++) {
                    rows.accept(i);
                    read.incrementAndGet();
                }
            } finally {
                readerFinished.set(true);
            }
        }, sink)).isSameAs(gone);

        assertThat(readerFinished).as("the reader ended before run returned").isTrue();
        assertThat(read.get()).as("rows read before the reader stopped")
                .isLessThanOrEqualTo((ReadAhead.BATCHES_AHEAD + 3) * ReadAhead.BATCH);
    }

    @Test
    void an_interrupted_caller_stops_the_reader_and_keeps_its_interrupt() {
        AtomicBoolean readerFinished = new AtomicBoolean();
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> ReadAhead.<Integer>run("test-reader", rows -> {
            try {
                for (int i = 0; i < 10_000_000; i++) {
                    rows.accept(i);
                }
            } finally {
                readerFinished.set(true);
            }
        }, row -> { })).isInstanceOf(IllegalStateException.class).hasMessageContaining("interrupted");

        assertThat(Thread.interrupted()).as("the caller's interrupt is kept").isTrue();
        assertThat(readerFinished).isTrue();
    }
}
