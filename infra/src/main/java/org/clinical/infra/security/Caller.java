package org.clinical.infra.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.util.List;

/** The authenticated caller of the current request, from its token's claims. */
public record Caller(String subject, List<String> roles, List<String> tenants, List<String> regions) {

    public static final String ALL = "*";

    /**
     * The caller of the current request: read from its token's claims once, when the request was authenticated
     * ({@link Authenticated}), however many times a request asks (a cached read asks twice: its tenant access and
     * its access-log entry).
     */
    public static Caller current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof Authenticated authenticated && authenticated.caller != null) {
            return authenticated.caller;
        }
        if (!(authentication instanceof JwtAuthenticationToken token)) {
            throw new IllegalStateException("no authenticated caller");
        }
        return of(token.getToken());
    }

    /** The caller a verified token names: its subject, and its roles, tenants and regions claims (none: empty). */
    static Caller of(Jwt jwt) {
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

    /**
     * A verified token's authentication, with the caller its claims name and the caller's roles as authorities
     * ({@code ROLE_<role>}), both read from the claims once per request: each claim read goes through Spring's
     * conversion service, which was a measurable part of a cached read's work when every {@link #current()} read
     * the claims again.
     */
    static final class Authenticated extends JwtAuthenticationToken {

        /** Not serialized (the platform keeps no sessions): a copy read back finds the caller in its token. */
        private final transient Caller caller;

        private Authenticated(Jwt jwt, Caller caller, List<GrantedAuthority> authorities) {
            super(jwt, authorities);
            this.caller = caller;
        }

        static Authenticated of(Jwt jwt) {
            Caller caller = Caller.of(jwt);
            return new Authenticated(jwt, caller, caller.roles().stream()
                    .<GrantedAuthority>map(role -> new SimpleGrantedAuthority("ROLE_" + role)).toList());
        }
    }
}
