package org.clinical.query.audit;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.clinical.infra.web.ConflictException;
import org.clinical.projections.audit.AuditProjection;
import org.clinical.projections.audit.AuditVerification;
import org.clinical.projections.audit.AuditVerification.Report;
import org.clinical.projections.audit.Checkpoint;
import org.clinical.projections.audit.CheckpointSigner;
import org.clinical.projections.readmodel.Read;
import org.clinical.query.web.ReadModels;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/**
 * The tamper-evidence check of a tenant's event store (auditor): every event against its aggregate's chain and
 * every sealed checkpoint ({@link AuditVerification}, docs/operations.md "Audit: tamper evidence").
 */
@RestController
@Tag(name = "Audit (auditor)")
public class AuditVerifyController {

    private final ReadModels readModels;
    private final CheckpointSigner signer;

    public AuditVerifyController(ReadModels readModels, CheckpointSigner signer) {
        this.readModels = readModels;
        this.signer = signer;
    }

    @Schema(description = "A break found: an event or a checkpoint that is not what was chained or sealed")
    public record BreakView(
            @Schema(description = "the event's position for a chain break; for a checkpoint's, the position it sealed"
                    + " when known (its newest event removed), else the lowest position of its events")
            long position,
            @Schema(description = "ALTERED (stored bytes or chain hash changed), DELETED (an event missing from an"
                    + " aggregate's chain or from a checkpoint), INSERTED (more events in a checkpoint's range than it"
                    + " sealed), CHECKPOINT (a checkpoint missing, out of order, or wrongly signed)",
                    allowableValues = {"ALTERED", "DELETED", "INSERTED", "CHECKPOINT"})
            String kind,
            @Schema(description = "the checkpoint that found it, null for a chain break", nullable = true)
            Long checkpointId,
            @Schema(description = "what differs, with positions and counts only")
            String detail) {
    }

    @Schema(description = "The newest sealed checkpoint: compare its digest with the one logged when it was sealed")
    public record CheckpointView(long id,
                                 @Schema(description = "the checkpoint covers the positions after this one")
                                 long rangeStart,
                                 @Schema(description = "the highest position of its range")
                                 long upperPosition,
                                 @Schema(description = "events it sealed, late ones included")
                                 long eventCount,
                                 @Schema(description = "events committed late below an earlier checkpoint's range")
                                 long lateCount,
                                 Instant sealedAt,
                                 @Schema(description = "SHA-256 digest, hex, chained to the previous checkpoint's")
                                 String digest,
                                 @Schema(description = "whether it carries an HMAC-SHA256 signature")
                                 boolean signed,
                                 @Schema(description = "id of the key that signed it", nullable = true)
                                 String keyId) {

        static CheckpointView of(Checkpoint c) {
            return c == null ? null : new CheckpointView(c.id(), c.rangeStart(), c.upperPosition(), c.eventCount(),
                    c.lateCount(), c.sealedAt(), c.digestHex(), c.signed(), c.keyId());
        }
    }

    @Schema(description = "The verification of a tenant's event store")
    public record VerifyView(
            @Schema(description = "no break found") boolean valid,
            @Schema(description = "events read: every event stored when the verification started") long checkedEvents,
            @Schema(description = "the lowest position of a break, null when valid", nullable = true)
            Long firstBrokenPosition,
            @Schema(description = "the 100 breaks of the lowest positions, in position order")
            List<BreakView> breaks,
            @Schema(description = "every break found") long breakCount,
            @Schema(description = "the highest stored position read") long highestPosition,
            @Schema(description = "events covered by a sealed checkpoint") long sealedEvents,
            @Schema(description = "events after the newest checkpoint (sealed within seconds): covered by their"
                    + " aggregate's chain only, so the removal of the newest of them is not seen yet")
            long unsealedEvents,
            @Schema(description = "events committed late into an earlier checkpoint's range, not sealed yet")
            long pendingLateEvents,
            @Schema(description = "checkpoints checked") long checkpoints,
            @Schema(description = "the newest checkpoint, null before the first seal", nullable = true)
            CheckpointView lastCheckpoint,
            @Schema(description = "whether a signing key is configured, so signatures were checked")
            boolean signaturesChecked,
            @Schema(description = "checkpoints sealed without a key (before any signed one)")
            long unsignedCheckpoints,
            Instant verifiedAt) {

        static VerifyView of(Report r) {
            return new VerifyView(r.valid(), r.checkedEvents(), r.firstBrokenPosition(),
                    r.breaks().stream().map(b -> new BreakView(b.position(), b.kind().name(), b.checkpointId(),
                            b.detail())).toList(), r.breakCount(), r.highestPosition(), r.sealedEvents(),
                    r.unsealedEvents(), r.pendingLateEvents(), r.checkpoints(), CheckpointView.of(r.lastCheckpoint()),
                    r.signaturesChecked(), r.unsignedCheckpoints(), r.verifiedAt());
        }
    }

    @GetMapping("/api/v1/{tenant}/audit/verify")
    @Operation(summary = "Verify the tenant's event store against its hash chains and sealed checkpoints",
            description = "Role auditor. Reads every stored event in one snapshot: each event's SHA-256 chain hash is"
                    + " recomputed from its stored bytes and the previous event of its aggregate (an altered event,"
                    + " or a gap in an aggregate's chain, is found at its position), and each checkpoint sealed"
                    + " after commit is recomputed and its HMAC signature checked (an event removed, inserted or"
                    + " rewritten with its hashes in a sealed range is found, the removal of the newest events"
                    + " included). Events after the newest checkpoint (seconds) are covered by their aggregate's chain"
                    + " only. valid is false on any break; firstBrokenPosition is the lowest. One verification per"
                    + " tenant at a time: 409 verification-running while another runs. X-Min-Position waits for the"
                    + " audit projection, like the other audit reads.")
    public VerifyView verify(@PathVariable("tenant") String tenant, HttpServletRequest request) {
        Read read = readModels.read(tenant, request.getHeader(ReadModels.MIN_POSITION), AuditProjection.NAME);
        Report report = AuditVerification.verify(read.tenant(), read.jdbc(), signer)
                .orElseThrow(() -> new ConflictException("verification-running",
                        "A verification of this tenant's event store is running; retry when it has finished"));
        return VerifyView.of(report);
    }
}
