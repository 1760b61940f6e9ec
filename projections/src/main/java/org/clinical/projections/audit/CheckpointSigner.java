package org.clinical.projections.audit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * HMAC-SHA256 of checkpoints with the key of {@code CLINICAL_AUDIT_SIGNING_KEY}: the database never holds the key,
 * so whoever can write the database cannot sign a checkpoint of their own. Without a key (local runs) checkpoints
 * are sealed unsigned and the verification says so. The key never appears in a log or an exception; its
 * {@link #keyId() id} (an HMAC of a fixed text) tells which key signed a checkpoint.
 */
public final class CheckpointSigner {

    static final int MIN_KEY_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final String keyId;

    private CheckpointSigner(byte[] key) {
        this.key = key == null ? null : new SecretKeySpec(key, ALGORITHM);
        this.keyId = key == null ? null : HexFormat.of().formatHex(hmac("clinical-audit-key-id")).substring(0, 16);
    }

    /** A signer with the configured key, or an unsigned one when it is blank; a key too short refuses to start. */
    public static CheckpointSigner of(String configuredKey) {
        if (configuredKey == null || configuredKey.isBlank()) {
            return new CheckpointSigner(null);
        }
        byte[] bytes = configuredKey.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_KEY_BYTES) {
            throw new IllegalStateException("clinical.audit.signing.key (CLINICAL_AUDIT_SIGNING_KEY) must be at least "
                    + MIN_KEY_BYTES + " bytes");
        }
        return new CheckpointSigner(bytes);
    }

    public boolean signs() {
        return key != null;
    }

    /** Which key signs, as stored with each checkpoint; null without a key. */
    public String keyId() {
        return keyId;
    }

    /** The signature of the text, none without a key. */
    public Optional<byte[]> sign(String text) {
        return key == null ? Optional.empty() : Optional.of(hmac(text));
    }

    /** Whether the signature is this key's of the text (constant time); false without a key. */
    public boolean verify(String text, byte[] signature) {
        return key != null && signature != null && MessageDigest.isEqual(hmac(text), signature);
    }

    private byte[] hmac(String text) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "CheckpointSigner[" + (key == null ? "unsigned" : "key " + keyId) + "]";
    }
}
