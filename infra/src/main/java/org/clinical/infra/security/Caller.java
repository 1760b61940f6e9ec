package org.clinical.infra.security;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.util.List;

/** The authenticated caller of the current request, from its token's claims. */
public record Caller(String subject, List<String> roles, List<String> tenants, List<String> regions) {

    public static final String ALL = "*";

    public static Caller current() {
        if (!(SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token)) {
            throw new IllegalStateException("no authenticated caller");
        }
        Jwt jwt = token.getToken();
        return new Caller(jwt.getSubject(), list(jwt, "roles"), list(jwt, "tenants"), list(jwt, "regions"));
    }

    public boolean mayTouchTenant(String tenantId) {
        return tenants.contains(ALL) || tenants.contains(tenantId);
    }

    /** Region-wide reads need the region in the token's {@code regions}. */
    public boolean mayTouchRegion(String region) {
        return regions.contains(ALL) || regions.contains(region);
    }

    public boolean isOperator() {
        return tenants.contains(ALL);
    }

    private static List<String> list(Jwt jwt, String claim) {
        List<String> values = jwt.getClaimAsStringList(claim);
        return values == null ? List.of() : values;
    }
}
