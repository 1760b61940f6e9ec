package org.clinical.query.audit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServletRequest;
import org.clinical.infra.security.Caller;
import org.clinical.infra.tenant.Tenant;
import org.clinical.infra.web.BadRequestException;
import org.clinical.infra.web.CorrelationIdFilter;
import org.springframework.web.servlet.HandlerMapping;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The PHI read-access log: a read of patient-level data calls {@link #record} once it has its answer and before
 * it returns it. The call returns only once an entry per patient (actor, roles, tenant, patient, endpoint, time,
 * correlation id, {@code X-Purpose-Of-Use}) is committed in the tenant's region ({@link AccessLogWriter}); when
 * that does not happen within {@code clinical.audit.access-log.max-wait} it throws, and the read answers 503
 * instead of its data. Reads that fail before (400, 403, 404) record nothing.
 */
public class AccessLog implements AutoCloseable {

    public static final String PURPOSE_OF_USE = "X-Purpose-Of-Use";
    static final int PURPOSE_MAX_LENGTH = 128;
    /** Visible ASCII and the space: a code (HL7 PurposeOfUse {@code TREAT}, {@code ETREAT}) or a short phrase. */
    private static final Pattern PURPOSE = Pattern.compile("[\\x20-\\x7E]{1," + PURPOSE_MAX_LENGTH + "}");

    private final Map<String, AccessLogWriter> writers;
    private final Clock clock;
    private final Duration maxWait;
    private final Timer durable;
    private final Timer failed;

    public AccessLog(Map<String, AccessLogWriter> writers, Clock clock, Duration maxWait, MeterRegistry meters) {
        this.writers = Map.copyOf(writers);
        this.clock = clock;
        this.maxWait = maxWait;
        this.durable = timer(meters, "durable");
        this.failed = timer(meters, "failed");
    }

    /** Records that the request read the patient's data in the tenant. */
    public void record(HttpServletRequest request, Tenant tenant, UUID patientId) {
        record(request, tenant, List.of(patientId));
    }

    /** Records that the request read the data of each patient (a search: each patient it answers). */
    public void record(HttpServletRequest request, Tenant tenant, Collection<UUID> patientIds) {
        String purpose = purposeOfUse(request);
        if (patientIds.isEmpty()) {
            return;
        }
        Caller caller = Caller.current();
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String endpoint = request.getMethod() + " " + request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        String correlationId = CorrelationIdFilter.of(request);
        List<AccessEntry> entries = patientIds.stream().distinct().map(patient -> new AccessEntry(at, tenant.id(),
                patient, caller.subject(), caller.roles(), endpoint, correlationId, purpose)).toList();
        // from before the submit: a read that finds a commit slot free commits its entries inside submit()
        long start = System.nanoTime();
        await(writer(tenant.region()).submit(entries), start);
    }

    /** The header, checked: absent or blank is none; too long or with control characters answers 400. */
    static String purposeOfUse(HttpServletRequest request) {
        String value = request.getHeader(PURPOSE_OF_USE);
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!PURPOSE.matcher(value).matches()) {
            throw new BadRequestException(PURPOSE_OF_USE, "must be 1 to " + PURPOSE_MAX_LENGTH
                    + " visible ASCII characters or spaces (a purpose-of-use code such as TREAT)");
        }
        return value.strip();
    }

    private void await(CompletableFuture<Void> written, long start) {
        try {
            // what is left of max-wait: a read that led a commit without its own entries has spent some of it
            written.get(maxWait.toNanos() - (System.nanoTime() - start), TimeUnit.NANOSECONDS);
            durable.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            written.completeExceptionally(e);
            throw unavailable(start, e);
        } catch (ExecutionException e) {
            throw unavailable(start, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            written.completeExceptionally(e);
            throw unavailable(start, e);
        }
    }

    private AccessLogUnavailableException unavailable(long start, Throwable cause) {
        failed.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return cause instanceof AccessLogUnavailableException e ? e
                : new AccessLogUnavailableException("access log entry not durable in time", cause);
    }

    /** The region's writer (tests and tools write entries through it directly). */
    public AccessLogWriter writer(String region) {
        AccessLogWriter writer = writers.get(region);
        if (writer == null) {
            throw new IllegalStateException("no access-log writer for region " + region);
        }
        return writer;
    }

    private static Timer timer(MeterRegistry meters, String result) {
        return Timer.builder("clinical.access_log.wait")
                .description("how long a read waits for its access-log entries to be durable")
                .tag("result", result).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1).dividedBy(10)).maximumExpectedValue(Duration.ofSeconds(5))
                .register(meters);
    }

    @Override
    public void close() {
        writers.values().forEach(AccessLogWriter::close);
    }
}
