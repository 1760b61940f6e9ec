package org.clinical.platform.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** Real HS256 tokens, signed with the secret the platform under test is configured with. */
public final class Tokens {

    public static final String SECRET = "test-secret-for-the-clinical-platform-0123456789";

    private Tokens() {
    }

    public static String token(String subject, List<String> roles, List<String> tenants) {
        return sign(SECRET, subject, roles, tenants, List.of("*"), Instant.now().plusSeconds(3600));
    }

    public static String sign(String secret, String subject, List<String> roles, List<String> tenants,
                              List<String> regions, Instant expiresAt) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issueTime(new Date())
                .claim("roles", roles)
                .claim("tenants", tenants)
                .claim("regions", regions);
        if (expiresAt != null) {
            claims.expirationTime(Date.from(expiresAt));
        }
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
