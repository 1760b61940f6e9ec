package org.clinical.platform;

import org.clinical.platform.support.PlatformTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests that never reach a controller are answered with problem details too, and store nothing. */
class MalformedRequestTest extends PlatformTest {

    @Test
    void unknown_routes_wrong_methods_wrong_media_types_and_broken_json_are_problems() {
        String tenant = newTenant();
        long events = eventCount(tenant);

        assertProblem(api.get("/api/v1/" + tenant + "/no-such-thing").token(CLINICIAN).send(), 404);
        assertProblem(api.call("DELETE", "/api/v1/" + tenant + "/patients").token(CLINICIAN).send(), 405);
        assertProblem(api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN)
                .header("Content-Type", "text/plain").send(), 415);
        assertProblem(api.post("/api/v1/" + tenant + "/patients").token(CLINICIAN).json("{\"mrn\": ").send(), 400);
        assertThat(eventCount(tenant)).isEqualTo(events);
    }
}
