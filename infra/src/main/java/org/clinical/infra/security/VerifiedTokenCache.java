package org.clinical.infra.security;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.core.OAuth2Error;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers tokens already verified, keyed by their full compact form (signature included, so a changed
 * token is a different key), and re-checks only their expiry on a hit. A client sends the same token with
 * every request: verifying its signature and parsing its claims each time cost about a tenth of a
 * command's CPU. Bounded: the cache is emptied when it reaches its size.
 */
class VerifiedTokenCache implements JwtDecoder {

    private static final int MAX_TOKENS = 10_000;

    private final JwtDecoder delegate;
    private final Clock clock;
    private final Map<String, Jwt> verified = new ConcurrentHashMap<>();

    VerifiedTokenCache(JwtDecoder delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt known = verified.get(token);
        if (known != null) {
            if (known.getExpiresAt() != null && clock.instant().isBefore(known.getExpiresAt())) {
                return known;
            }
            verified.remove(token);
            throw new JwtValidationException("token expired",
                    List.of(new OAuth2Error("invalid_token", "Jwt expired at " + known.getExpiresAt(), null)));
        }
        Jwt jwt = delegate.decode(token);
        if (verified.size() >= MAX_TOKENS) {
            verified.clear();
        }
        verified.put(token, jwt);
        return jwt;
    }

    int size() {
        return verified.size();
    }

}
