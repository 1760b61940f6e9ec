package org.clinical.infra.security;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The caller of a request, read from its verified token's claims once, when the request is authenticated. */
class CallerTest {

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    private static Jwt token(String subject, Object roles, Object tenants) {
        Jwt.Builder builder = Jwt.withTokenValue("t").header("alg", "HS256").subject(subject)
                .issuedAt(Instant.parse("2026-12-04T00:00:00Z")).expiresAt(Instant.parse("2026-12-04T01:00:00Z"));
        if (roles != null) {
            builder.claim("roles", roles);
        }
        if (tenants != null) {
            builder.claim("tenants", tenants);
        }
        return builder.build();
    }

    @Test
    void theAuthenticationCarriesTheCallerAndItsRolesAsAuthorities() {
        Caller.Authenticated authentication = Caller.Authenticated.of(
                token("nurse-1", List.of("clinician", "auditor"), List.of("acme")));

        assertThat(authentication.getName()).isEqualTo("nurse-1");
        assertThat(authentication.isAuthenticated()).isTrue();
        assertThat(authentication.getAuthorities()).extracting(GrantedAuthority::getAuthority)
                .containsExactly("ROLE_clinician", "ROLE_auditor");

        SecurityContextHolder.getContext().setAuthentication(authentication);
        Caller caller = Caller.current();
        assertThat(caller).isEqualTo(new Caller("nurse-1", List.of("clinician", "auditor"), List.of("acme"),
                List.of()));
        assertThat(Caller.current()).as("read once per request, not at each ask").isSameAs(caller);
        assertThat(caller.mayTouchTenant("acme")).isTrue();
        assertThat(caller.mayTouchTenant("other")).isFalse();
        assertThat(caller.mayTouchRegion("eu")).isFalse();
    }

    @Test
    void aTokenWithoutRolesOrTenantsIsACallerWithNone() {
        Caller.Authenticated authentication = Caller.Authenticated.of(token("svc", null, null));

        assertThat(authentication.getAuthorities()).isEmpty();
        SecurityContextHolder.getContext().setAuthentication(authentication);
        assertThat(Caller.current()).isEqualTo(new Caller("svc", List.of(), List.of(), List.of()));
        assertThat(Caller.current().isOperator()).isFalse();
    }

    @Test
    void anyOtherJwtAuthenticationIsReadFromItsClaimsAndNoneIsRefused() {
        Jwt operator = token("ops", List.of("admin"), List.of(Caller.ALL));
        SecurityContextHolder.getContext().setAuthentication(
                new JwtAuthenticationToken(operator, List.of(new SimpleGrantedAuthority("ROLE_admin"))));
        assertThat(Caller.current().isOperator()).isTrue();

        SecurityContextHolder.clearContext();
        assertThatThrownBy(Caller::current).isInstanceOf(IllegalStateException.class);
    }
}
