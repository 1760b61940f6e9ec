package org.clinical.infra.ids;

import org.axonframework.common.IdentifierFactory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class RandomIdsTest {

    @Test
    void makesVersionFourUuidsOfTheIetfVariant() {
        for (int i = 0; i < 1_000; i++) {
            UUID id = RandomIds.next();
            assertThat(id.version()).isEqualTo(4);
            assertThat(id.variant()).isEqualTo(2);
        }
    }

    @Test
    void threadsDrawingAtOnceNeverRepeatAnId() throws Exception {
        Set<UUID> seen = ConcurrentHashMap.newKeySet();
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            for (int t = 0; t < 8; t++) {
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 25_000; i++) {
                        seen.add(RandomIds.next());
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertThat(seen).hasSize(200_000);
    }

    @Test
    void virtualThreadsGetTheJdksIds() throws Exception {
        UUID[] made = new UUID[1];
        Thread.ofVirtual().start(() -> made[0] = RandomIds.next()).join();
        assertThat(made[0].version()).isEqualTo(4);
    }

    @Test
    void axonFindsThisFactoryForItsMessageIdentifiers() {
        assertThat(IdentifierFactory.getInstance()).isInstanceOf(AxonIdentifiers.class);
        assertThat(UUID.fromString(IdentifierFactory.getInstance().generateIdentifier()).version()).isEqualTo(4);
    }
}
