package org.clinical.projections.audit;

import java.time.Instant;
import java.util.HexFormat;

/**
 * A sealed checkpoint of a tenant's event stream ({@code audit_checkpoint}): it covers the events of positions
 * ({@code rangeStart}, {@code upperPosition}] present when it was sealed, and {@code lateCount} late events listed in
 * {@code audit_checkpoint_late}; {@code eventCount} counts both. {@code digest} chains it to the previous checkpoint
 * (see {@code V2_2__tamper_evidence.sql}); {@code signature} is the HMAC of {@link #signedText} (null unsigned).
 *
 * @param firstPosition the lowest position among its events, null when it holds none
 * @param lastPosition  the highest position among its events, null when it holds none
 */
public record Checkpoint(long id, long rangeStart, long upperPosition, long eventCount, long lateCount,
                         Long firstPosition, Long lastPosition, byte[] digest, byte[] signature, String keyId,
                         Instant sealedAt) {

    /** The version of {@link #signedText}'s layout. */
    static final String SIGNED_TEXT_VERSION = "clinical-audit-checkpoint/1";

    /** What the signature covers: every field of the row but the signature and key id, and the tenant. */
    public String signedText(String tenantId) {
        return String.join("|", SIGNED_TEXT_VERSION, tenantId, Long.toString(id), Long.toString(rangeStart),
                Long.toString(upperPosition), Long.toString(eventCount), Long.toString(lateCount),
                String.valueOf(firstPosition), String.valueOf(lastPosition), digestHex(), sealedAt.toString());
    }

    public String digestHex() {
        return HexFormat.of().formatHex(digest);
    }

    public boolean signed() {
        return signature != null;
    }
}
