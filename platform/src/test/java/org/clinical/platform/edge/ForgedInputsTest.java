package org.clinical.platform.edge;

import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** Inputs found by review that passed the edge and ended in a 500: each is now a clear answer. */
class ForgedInputsTest extends PlatformTest {

    @Test
    void a_zero_with_a_huge_exponent_is_refused_like_any_unstorable_number() {
        String tenant = newTenant();
        String patient = newPatient(tenant, "MRN-ZERO");
        long before = eventCount(tenant);
        for (String zero : new String[]{"0e10000", "0e-10000", "0E+13"}) {
            Api.Response refused = api.post("/api/v1/" + tenant + "/observations").token(CLINICIAN)
                    .header("Idempotency-Key", "zero-" + zero).json("""
                            {"patientId": "%s", "code": {"system": "http://loinc.org", "code": "8867-4"},
                             "effectiveAt": "2025-03-01T09:00:00Z", "value": {"quantity": {"value": %s, "unit": "/min"}}}"""
                            .formatted(patient, zero)).send();
            assertBadParameter(refused, "value.quantity.value");
        }
        assertThat(eventCount(tenant)).isEqualTo(before);
    }

    @Test
    void a_forged_cursor_with_a_nul_is_400_and_one_past_the_last_day_an_empty_page() {
        String tenant = newTenant();
        String nul = Base64.getUrlEncoder().withoutPadding().encodeToString("a\u0000b".getBytes(StandardCharsets.UTF_8));
        assertBadParameter(api.get("/api/v1/" + tenant + "/facilities?cursor=" + nul).token(ADMIN).send(), "cursor");

        String farthest = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("+999999999-12-31".getBytes(StandardCharsets.UTF_8));
        Api.Response page = api.get("/api/v1/" + tenant + "/analytics/encounters/daily?from=2025-01-01&to=2025-12-31"
                + "&cursor=" + farthest).token(ANALYST).send();
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.body().get("items")).isEmpty();
        assertThat(page.body().get("nextCursor").isNull()).isTrue();
    }
}
