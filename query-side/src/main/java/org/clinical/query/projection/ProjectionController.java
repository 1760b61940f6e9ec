package org.clinical.query.projection;

import jakarta.servlet.http.HttpServletRequest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.clinical.infra.kafka.publish.KafkaPublishers;
import org.clinical.infra.kafka.publish.PublisherStatus;
import org.clinical.infra.security.TenantAccess;
import org.clinical.infra.tenant.Tenant;
import org.clinical.infra.web.ConflictException;
import org.clinical.infra.web.BadRequestException;
import org.clinical.infra.web.NotFoundException;
import org.clinical.infra.web.Cursor;
import org.clinical.infra.web.Page;
import org.clinical.infra.web.StoredPosition;
import org.clinical.projections.deadletter.DeadLetters;
import org.clinical.projections.deadletter.DeadLetters.Letter;
import org.clinical.projections.readmodel.Generations;
import org.clinical.projections.readmodel.ProjectionPositions;
import org.clinical.projections.readmodel.ReadModel;
import org.clinical.projections.rebuild.ProjectionRebuilds;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.Map;

@RestController
@RequestMapping("/api/v1/{tenant}/projections")
@Tag(name = "Projections (admin)")
public class ProjectionController {

    private final TenantAccess access;
    private final Generations generations;
    private final ProjectionPositions positions;
    private final ProjectionRebuilds rebuilds;
    private final DeadLetters deadLetters;
    private final StoredPosition stored;
    private final KafkaPublishers publishers;

    public ProjectionController(TenantAccess access, Generations generations, ProjectionPositions positions,
                                ProjectionRebuilds rebuilds, DeadLetters deadLetters, StoredPosition stored,
                                KafkaPublishers publishers) {
        this.stored = stored;
        this.publishers = publishers;
        this.access = access;
        this.generations = generations;
        this.positions = positions;
        this.rebuilds = rebuilds;
        this.deadLetters = deadLetters;
    }

    /**
     * @param position   the last event position the live read model has committed (-1: none yet)
     * @param head       the tenant's last event position
     * @param lag        events between the two
     * @param progress   of a running rebuild, 0 to 1 (the replay's position over the head); null when none runs
     * @param generation the generation reads use now; {@code building} the one a rebuild fills
     * @param deadLetters events set aside because the projection could not apply them (see the dead-letter
     *                    endpoints)
     */
    public record ProjectionStatus(String name, long position, long head, long lag, boolean rebuilding,
                                   Double progress, int generation, Integer building, long deadLetters) {
    }

    /**
     * @param sequences the sequences (aggregates) retried
     * @param applied   those whose letters were all applied and removed
     * @param deadLetters the projection's letters left afterwards
     */
    public record RetryResult(String name, int sequences, int applied, long deadLetters) {
    }

    /**
     * @param items      the read models
     * @param publishers what else follows the tenant's stream: the Kafka publisher, with its lag in events and
     *                   seconds (empty when publishing is switched off)
     */
    public record ProjectionList(List<ProjectionStatus> items, List<PublisherStatus> publishers) {
    }

    public record RebuildStarted(String name, boolean rebuilding, int generation) {
    }

    @GetMapping
    @Operation(summary = "The tenant's projections: committed position, stream head, lag in events, rebuild "
            + "progress, and deadLetters: how many events the projection set aside because it could not apply them;"
            + " publishers: the Kafka publisher's position, lag in events and in seconds, and the failure of its"
            + " last attempt when it fails")
    public ProjectionList list(@PathVariable("tenant") String tenantId, HttpServletRequest request) {
        Tenant tenant = access.require(tenantId);
        stored.await(tenant, request.getHeader(StoredPosition.HEADER));
        long head = rebuilds.head(tenant);
        Map<String, Long> letters = deadLetters.counts(tenant);
        List<ProjectionStatus> items = generations.rows(tenant).stream().map(row -> {
            long position = positions.position(tenant, row.name());
            Integer building = row.building();
            return new ProjectionStatus(row.name(), position, head, Math.max(0, head - position), building != null,
                    building == null ? null : rebuilds.progress(tenant, row.name()).orElse(0.0), row.live(),
                    building, letters.getOrDefault(row.name(), 0L));
        }).toList();
        return new ProjectionList(items, publishers.enabled() ? List.of(publishers.status(tenant)) : List.of());
    }

    @PostMapping("/{name}/rebuild")
    @ApiResponse(responseCode = "202", description = "the rebuild, started; progress in the projection list")
    @Operation(summary = "Rebuild a projection from the first event into fresh tables (blue/green): reads keep "
            + "answering from the live tables until the rebuilt ones have caught up and are switched to in one "
            + "transaction; 202 at once, progress in the list; 404 unknown projection; 409 when one is running",
            description = "An admin action, not a command: it stores no event, so it answers no X-Event-Position and"
                    + " takes no Idempotency-Key. Sent again while the rebuild runs it answers 409; sent again after"
                    + " it finished it rebuilds again, which leaves the same read model.")
    public ResponseEntity<RebuildStarted> rebuild(@PathVariable("tenant") String tenantId,
                                                  @PathVariable("name") String name) {
        Tenant tenant = access.require(tenantId);
        ReadModel model = generations.readModel(name)
                .orElseThrow(() -> new NotFoundException("No projection named " + name));
        if (!rebuilds.start(tenant, model)) {
            throw new ConflictException("rebuild-running", "Projection " + name + " is being rebuilt already");
        }
        Generations.Row row = generations.rows(tenant).stream().filter(r -> name.equals(r.name()))
                .findFirst().orElseThrow();
        int building = row.building() == null ? generations.liveGeneration(tenant, name) : row.building();
        return ResponseEntity.accepted().location(URI.create("/api/v1/" + tenant.id() + "/projections"))
                .body(new RebuildStarted(name, true, building));
    }

    @GetMapping("/{name}/dead-letters")
    @Operation(summary = "The projection's dead letters, in stream order: events it could not apply (after a "
            + "retry alone in a savepoint), with the aggregate (sequence) whose later events wait behind them, the "
            + "exception class and a message without PHI (SQLState or a fixed text), and the failed retries. "
            + "Cursor-paginated; 404 unknown projection")
    public Page<Letter> deadLetters(@PathVariable("tenant") String tenantId, @PathVariable("name") String name,
                                    @Parameter(description = "1 to 1000, default 100")
                                    @RequestParam(name = "limit", required = false) Integer limit,
                                    @RequestParam(name = "cursor", required = false) String cursor,
                                    HttpServletRequest request) {
        Tenant tenant = access.require(tenantId);
        stored.await(tenant, request.getHeader(StoredPosition.HEADER));
        ReadModel model = model(name);
        int size = Page.limit(limit);
        LetterKey after = Cursor.read(cursor, 2, parts -> new LetterKey(parts.number(), parts.text()));
        if (after == null) {
            after = LetterKey.FIRST;
        }
        List<Letter> rows = deadLetters.list(tenant, model.name(), after.position(), after.id(), size + 1);
        return Page.of(rows, size, l -> Cursor.after(l.position() == null ? -1 : l.position(), l.id()));
    }

    @PostMapping("/{name}/dead-letters/retry")
    @Operation(summary = "Retry every dead letter of the projection once the cause is fixed: each aggregate's "
            + "letters in order, each applied alone; an applied letter is removed (its event applied exactly once), "
            + "one that fails again stays with one more retry and the letters behind it wait. 200 with the counts; "
            + "404 unknown projection. Stores no event and takes no Idempotency-Key: sent again, it retries what"
            + " is still left, which a first retry that succeeded leaves empty")
    public RetryResult retryAll(@PathVariable("tenant") String tenantId, @PathVariable("name") String name) {
        return retry(tenantId, name, null);
    }

    @PostMapping("/{name}/dead-letters/{sequence}/retry")
    @Operation(summary = "Retry the dead letters of one aggregate (the sequence of a listed letter), in order; "
            + "as the retry of all. 404 unknown projection")
    public RetryResult retrySequence(@PathVariable("tenant") String tenantId, @PathVariable("name") String name,
                                     @PathVariable("sequence") String sequence) {
        if (sequence.length() > 255) {
            throw new BadRequestException("sequence", "is at most 255 characters");
        }
        return retry(tenantId, name, sequence);
    }

    private RetryResult retry(String tenantId, String name, String sequence) {
        Tenant tenant = access.require(tenantId);
        ReadModel model = model(name);
        DeadLetters.Retried retried = deadLetters.retry(tenant, model.name(), sequence);
        return new RetryResult(model.name(), retried.sequences(), retried.applied(),
                deadLetters.count(tenant, model.name()));
    }

    private ReadModel model(String name) {
        return generations.readModel(name).orElseThrow(() -> new NotFoundException("No projection named " + name));
    }

    /** A dead letter's place in the list: its stream position (-1 for none), then its id. */
    private record LetterKey(long position, String id) {

        static final LetterKey FIRST = new LetterKey(-2, "");
    }
}
