package org.clinical.projections.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Settings of the tamper evidence ({@code clinical.audit.*}).
 *
 * @param signing      the key checkpoints are signed with
 * @param sealInterval how often each instance's sealer looks for new events to seal
 */
@ConfigurationProperties(prefix = "clinical.audit")
public record AuditProperties(@DefaultValue Signing signing, @DefaultValue("2s") Duration sealInterval) {

    /**
     * @param key HMAC-SHA256 key of the checkpoints ({@code CLINICAL_AUDIT_SIGNING_KEY}, at least 32 bytes in
     *            UTF-8); unset for local runs, which then seal unsigned checkpoints. Never logged, never stored.
     */
    public record Signing(String key) {

        @Override
        public String toString() {
            return "Signing[key=" + (key == null || key.isBlank() ? "unset" : "****") + "]";
        }
    }
}
