package org.clinical.projections.rebuild;

import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.clinical.infra.processing.TenantProcessors;
import org.clinical.infra.eventstore.StreamHead;
import org.clinical.infra.region.Regions;
import org.clinical.infra.tenant.Tenant;
import org.clinical.infra.tenant.ActiveTenants;
import org.clinical.projections.deadletter.DeadLetters;
import org.clinical.projections.readmodel.Generations;
import org.clinical.projections.readmodel.Projection;
import org.clinical.projections.readmodel.ProjectionPositions;
import org.clinical.projections.readmodel.ReadModel;
import org.clinical.projections.readmodel.ReadModelChanges;
import org.clinical.projections.readmodel.ReadModelSchemas;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Blue/green rebuilds of a tenant's projection. A processor of its own replays the tenant's events from the
 * first one into a new generation's empty tables, in large batches, while the live processor keeps the live
 * generation current and reads keep using it. Once the replay has caught up with the stream, the new tables are
 * analyzed (the live processor still running), the live processor stops, the replay reaches the head, and one
 * transaction makes the new generation live, gives the live processor the replay's token and points the
 * analysts' views at it; the live processor then goes on from there, caches are refreshed, and the old
 * generation is dropped once no query can still be using it.
 * A rebuild cut short by a restart resumes from the replay's own token.
 *
 * <p>The replay meets the events the live projection could not apply and sets them aside in dead letters of
 * its own (group {@code <name>-rebuild}), so it completes; the transaction that switches generations also
 * replaces the projection's dead letters with the replay's ({@link DeadLetters#handOver}): the letters then
 * describe the generation reads use. A new rebuild starts without a replay token or letters left over.
 */
public class ProjectionRebuilds implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRebuilds.class);
    static final int REPLAY_BATCH_SIZE = 1000;
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);

    private final TenantProcessors processors;
    private final Generations generations;
    private final ProjectionPositions positions;
    private final ActiveTenants tenants;
    private final Regions regions;
    private final ReadModelChanges changes;
    private final DeadLetters deadLetters;
    private final Duration dropDelay;
    private final Map<String, Rebuild> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1,
            Thread.ofPlatform().name("projection-rebuild-", 0).daemon().factory());

    public ProjectionRebuilds(TenantProcessors processors, Generations generations, ProjectionPositions positions,
                              ActiveTenants tenants, Regions regions, ReadModelChanges changes,
                              DeadLetters deadLetters, Duration dropDelay) {
        this.processors = processors;
        this.generations = generations;
        this.positions = positions;
        this.tenants = tenants;
        this.regions = regions;
        this.changes = changes;
        this.deadLetters = deadLetters;
        this.dropDelay = dropDelay;
    }

    /** Starts a rebuild; false when one of this projection for this tenant is under way already. */
    public boolean start(Tenant tenant, ReadModel model) {
        Optional<Integer> generation = generations.startBuilding(tenant, model);
        generation.ifPresent(g -> {
            forgetEarlierReplay(tenant, model);
            run(tenant, model, g);
        });
        return generation.isPresent();
    }

    /** Resumes the rebuilds a stop cut short, for every tenant. */
    public void resumeAll() {
        for (Tenant tenant : tenants.all()) {
            for (Generations.Row row : generations.rows(tenant)) {
                if (row.building() != null) {
                    generations.readModel(row.name()).ifPresent(model -> {
                        log.info("Resuming the rebuild of {} for tenant {}", model.name(), tenant.id());
                        run(tenant, model, row.building());
                    });
                }
            }
        }
    }

    /** Progress of a running rebuild, 0 to 1; empty when none runs. */
    public Optional<Double> progress(Tenant tenant, String projection) {
        return Optional.ofNullable(running.get(key(tenant, projection))).map(Rebuild::progress);
    }

    /** The tenant's last event position, -1 for an empty stream. */
    public long head(Tenant tenant) {
        return StreamHead.of(jdbc(tenant), tenant);
    }

    private void run(Tenant tenant, ReadModel model, int generation) {
        String target = ReadModelSchemas.generation(tenant, model.name(), generation);
        PooledStreamingEventProcessor replay = processors.replay(model.name(), tenant.id(), replayName(model),
                REPLAY_BATCH_SIZE, (unitOfWork, chain) -> {
                    unitOfWork.root().resources().put(Projection.REPLAY_TARGET, target);
                    return chain.proceed();
                });
        Rebuild rebuild = new Rebuild(tenant, model, generation, replay);
        running.put(key(tenant, model.name()), rebuild);
        replay.start();
        rebuild.monitor = scheduler.scheduleWithFixedDelay(() -> check(rebuild), 100, 100, TimeUnit.MILLISECONDS);
        log.info("Rebuilding {} of tenant {} into {}", model.name(), tenant.id(), target);
    }

    private void check(Rebuild rebuild) {
        try {
            long head = head(rebuild.tenant);
            long position = rebuild.position();
            rebuild.progress = head <= 0 ? 1.0 : Math.min(1.0, Math.max(0, position) / (double) head);
            if (position >= head) {
                rebuild.monitor.cancel(false);
                switchOver(rebuild);
            }
        } catch (RuntimeException e) {
            log.error("Rebuild of {} for tenant {} failed", rebuild.model.name(), rebuild.tenant.id(), e);
            rebuild.monitor.cancel(false);
            running.remove(key(rebuild.tenant, rebuild.model.name()));
        }
    }

    private void switchOver(Rebuild rebuild) {
        Tenant tenant = rebuild.tenant;
        String name = rebuild.model.name();
        try {
            generations.analyze(tenant, rebuild.model, rebuild.generation);
        } catch (RuntimeException e) {
            rebuild.replay.shutDown();
            generations.abandon(tenant, rebuild.model, rebuild.generation);
            throw e;
        }
        long paused = System.nanoTime();
        processors.stopLive(name, tenant.id());
        try {
            long head = head(tenant);
            long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
            while (rebuild.position() < head && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            rebuild.replay.shutdownAsync().get(30, TimeUnit.SECONDS);
            String old = generations.switchTo(tenant, rebuild.model, rebuild.generation, () -> handOverToken(tenant,
                    rebuild.model));
            positions.reload(tenant, name);
            scheduler.schedule(() -> generations.drop(tenant, old), dropDelay.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Projection {} of tenant {} now reads generation {} (live processing paused for {} ms)", name,
                    tenant.id(), rebuild.generation, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - paused));
        } catch (Exception e) {
            generations.abandon(tenant, rebuild.model, rebuild.generation);
            throw new IllegalStateException("switching " + name + " of " + tenant.id() + " failed", e);
        } finally {
            running.remove(key(tenant, name));
            processors.startLive(name, tenant.id());
            changes.rebuilt(tenant, name);
        }
    }

    /**
     * The live processor goes on from where the replay stopped; the replay's token goes, and its dead letters
     * replace the live generation's.
     */
    private void handOverToken(Tenant tenant, ReadModel model) {
        JdbcTemplate jdbc = jdbc(tenant);
        String table = tenant.schema() + ".token_entry";
        jdbc.update("delete from " + table + " where processor_name = ?", model.name());
        jdbc.update("update " + table + " set processor_name = ?, owner = null where processor_name = ?",
                model.name(), replayName(model));
        deadLetters.handOver(tenant, model.name(), replayName(model));
    }

    /** A new generation is filled from the first event: no token or letters of an earlier, abandoned replay. */
    private void forgetEarlierReplay(Tenant tenant, ReadModel model) {
        jdbc(tenant).update("delete from " + tenant.schema() + ".token_entry where processor_name = ?",
                replayName(model));
        deadLetters.discard(tenant, replayName(model));
    }

    private JdbcTemplate jdbc(Tenant tenant) {
        return regions.region(tenant.region()).jdbc();
    }

    private static String replayName(ReadModel model) {
        return model.name() + "-rebuild";
    }

    private static String key(Tenant tenant, String projection) {
        return tenant.id() + "/" + projection;
    }

    @Override
    public void close() {
        running.values().forEach(r -> r.replay.shutDown());
        scheduler.shutdownNow();
    }

    private static final class Rebuild {
        final Tenant tenant;
        final ReadModel model;
        final int generation;
        final PooledStreamingEventProcessor replay;
        volatile double progress;
        volatile ScheduledFuture<?> monitor;

        Rebuild(Tenant tenant, ReadModel model, int generation, PooledStreamingEventProcessor replay) {
            this.tenant = tenant;
            this.model = model;
            this.generation = generation;
            this.replay = replay;
        }

        long position() {
            return replay.processingStatus().values().stream()
                    .map(EventTrackerStatus::getCurrentPosition)
                    .mapToLong(p -> p.orElse(-1))
                    .min().orElse(-1);
        }

        double progress() {
            return progress;
        }
    }
}
