package org.clinical.query.projection;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.clinical.infra.security.TenantAccess;
import org.clinical.infra.tenant.Tenant;
import org.clinical.infra.web.ConflictException;
import org.clinical.infra.web.NotFoundException;
import org.clinical.projections.readmodel.Generations;
import org.clinical.projections.readmodel.ProjectionPositions;
import org.clinical.projections.readmodel.ReadModel;
import org.clinical.projections.rebuild.ProjectionRebuilds;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
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

    public ProjectionController(TenantAccess access, Generations generations, ProjectionPositions positions,
                                ProjectionRebuilds rebuilds) {
        this.access = access;
        this.generations = generations;
        this.positions = positions;
        this.rebuilds = rebuilds;
    }

    /**
     * @param position   the last event position the live read model has committed (-1: none yet)
     * @param head       the tenant's last event position
     * @param lag        events between the two
     * @param progress   of a running rebuild, 0 to 1 (the replay's position over the head); null when none runs
     * @param generation the generation reads use now; {@code building} the one a rebuild fills
     */
    public record ProjectionStatus(String name, long position, long head, long lag, boolean rebuilding,
                                   Double progress, int generation, Integer building) {
    }

    public record Items<T>(List<T> items) {
    }

    public record RebuildStarted(String name, boolean rebuilding, int generation) {
    }

    @GetMapping
    @Operation(summary = "The tenant's projections: committed position, stream head, lag in events, rebuild progress")
    public Items<ProjectionStatus> list(@PathVariable("tenant") String tenantId) {
        Tenant tenant = access.require(tenantId);
        long head = rebuilds.head(tenant);
        List<ProjectionStatus> items = generations.rows(tenant).stream().map(row -> {
            String name = (String) row.get("name");
            long position = positions.position(tenant, name);
            Integer building = row.get("building") == null ? null : ((Number) row.get("building")).intValue();
            return new ProjectionStatus(name, position, head, Math.max(0, head - position), building != null,
                    building == null ? null : rebuilds.progress(tenant, name).orElse(0.0),
                    ((Number) row.get("live")).intValue(), building);
        }).toList();
        return new Items<>(items);
    }

    @PostMapping("/{name}/rebuild")
    @Operation(summary = "Rebuild a projection from the first event into fresh tables (blue/green): reads keep "
            + "answering from the live tables until the rebuilt ones have caught up and are switched to in one "
            + "transaction; 202 at once, progress in the list; 404 unknown projection; 409 when one is running")
    public ResponseEntity<RebuildStarted> rebuild(@PathVariable("tenant") String tenantId,
                                                  @PathVariable("name") String name) {
        Tenant tenant = access.require(tenantId);
        ReadModel model = generations.readModel(name)
                .orElseThrow(() -> new NotFoundException("No projection named " + name));
        if (!rebuilds.start(tenant, model)) {
            throw new ConflictException("rebuild-running", "Projection " + name + " is being rebuilt already");
        }
        Map<String, Object> row = generations.rows(tenant).stream().filter(r -> name.equals(r.get("name")))
                .findFirst().orElseThrow();
        int building = row.get("building") == null ? generations.liveGeneration(tenant, name)
                : ((Number) row.get("building")).intValue();
        return ResponseEntity.accepted().location(URI.create("/api/v1/" + tenant.id() + "/projections"))
                .body(new RebuildStarted(name, true, building));
    }
}
