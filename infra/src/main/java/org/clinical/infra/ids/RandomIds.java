package org.clinical.infra.ids;

import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Random (version 4) UUIDs, as unpredictable as {@link UUID#randomUUID()}, without its one lock.
 *
 * <p>{@code UUID.randomUUID()} draws from a single static {@code SecureRandom} (NativePRNG) whose reads are
 * synchronized. A single command makes about six ids (Axon's command, event and result messages, the
 * correlation id, the new observation's id), and JFR recorded 283 to 406 waits of 10 ms or longer on that lock
 * in 45 s of 16 clients on a 2-core machine (7.5 s of waiting in all): whoever held it had been descheduled.
 * Here each platform thread has its own DRBG instance, seeded by the JDK, so no thread waits for another. A
 * virtual thread uses the JDK's shared generator: seeding a DRBG per virtual thread would cost more than the
 * lock.
 */
public final class RandomIds {

    private static final ThreadLocal<SecureRandom> PER_THREAD = ThreadLocal.withInitial(RandomIds::newGenerator);

    private RandomIds() {
    }

    /** A new random UUID (version 4, IETF variant). */
    public static UUID next() {
        if (Thread.currentThread().isVirtual()) {
            return UUID.randomUUID();
        }
        byte[] bytes = new byte[16];
        PER_THREAD.get().nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
        ByteBuffer halves = ByteBuffer.wrap(bytes);
        return new UUID(halves.getLong(), halves.getLong());
    }

    private static SecureRandom newGenerator() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
