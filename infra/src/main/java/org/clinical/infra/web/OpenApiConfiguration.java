package org.clinical.infra.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI description's frame: title, the bearer JWT every endpoint needs, and the conventions. */
@Configuration
public class OpenApiConfiguration {

    @Bean
    OpenAPI clinicalOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Clinical platform API").version("v1").description("""
                        Event-sourced clinical platform. Every request carries `Authorization: Bearer <JWT>` (claims
                        sub, roles, tenants, regions, exp). Errors are RFC 9457 problem details
                        (`application/problem+json`, `type` = `urn:clinical:problem:<code>`, validation errors in
                        `errors[{field, message}]`). Commands answer `X-Event-Position` (position of their last
                        event in the tenant's stream) and, for a single record, `ETag: "<version>"`; commands on
                        an existing record accept `If-Match: "<version>"` (stale: 412). Every creating or changing
                        POST accepts `Idempotency-Key` (same key and request: the first answer again, nothing
                        appended; same key, other request: 422; kept 48 h). `X-Correlation-Id` is echoed and
                        stored in every event and named as `correlationId` in every problem. Lists are
                        `{items, nextCursor}` with `limit` (default 100, at most 1000) and `cursor`.

                        Limits (400 with the field named unless said otherwise): request bodies at most 1 MiB, 8 MiB
                        for `/observations/batch` (413 beyond); JSON nested at most 32 deep, numbers at most 64
                        characters, no key twice in one object, no `null` inside arrays; text without control
                        characters (tab and line breaks allowed in reasons, display texts and string values),
                        lengths as in each schema's `maxLength`/`maxItems`; dates and instants from 1800-01-01
                        to 5 minutes from now; quantities and reference range bounds at most 12 digits before and
                        6 after the decimal point; panels 1 to 20 components, not nested. An id of another kind
                        of record answers 404; an unreachable database 503 with `Retry-After`.

                        Roles are checked on the path, for every HTTP method, before anything else (403): `admin`
                        for tenants, registering facilities and projections; `clinician` for every command and
                        patient-level reads; `analyst` for patient-level reads and analytics; `auditor` for
                        patient-level reads; the facility list for `admin`, `clinician` and `analyst`."""))
                .components(new Components().addSecuritySchemes("bearer-jwt", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList("bearer-jwt"));
    }
}
