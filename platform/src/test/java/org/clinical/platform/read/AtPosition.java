package org.clinical.platform.read;

import org.clinical.platform.support.Api;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A read at a command's position, as a client makes it: {@code X-Min-Position} makes the server wait up to 2 s for
 * the projections, then answer 503 with {@code Retry-After}; on a loaded machine they may need longer, so a 503 is
 * asked again as Retry-After says, for at most 30 s. Any other answer is the read's.
 */
public final class AtPosition {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private AtPosition() {
    }

    public static Api.Response get(Api api, String path, String token, long position) {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (true) {
            Api.Response response = api.get(path).token(token).header("X-Min-Position", Long.toString(position))
                    .send();
            if (response.status() != 503) {
                return response;
            }
            assertThat(Instant.now()).as("GET %s at %d: %s", path, position, response).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofSeconds(Long.parseLong(response.header("Retry-After"))).toNanos());
        }
    }
}
