package org.clinical.infra.security;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HS256 with the configured secret, and RS256 against a JWKS served over HTTP, through the real decoder. */
class JwtDecoderTest {

    private static final String SECRET = "a-secret-of-at-least-thirty-two-bytes!";
    private final SecurityConfiguration configuration = new SecurityConfiguration();
    private HttpServer jwks;
    private RSAKey rsa;

    @BeforeEach
    void serveJwks() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("k1").generate();
        byte[] body = new JWKSet(rsa.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/jwks", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
    }

    @AfterEach
    void stop() {
        jwks.stop(0);
    }

    private JwtDecoder decoder() {
        JwtProperties properties = new JwtProperties(SECRET,
                "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks", "unused");
        return configuration.jwtDecoder(configuration.signingKey(properties), properties, java.time.Clock.systemUTC());
    }

    @Test
    void rs256_tokens_are_verified_against_the_jwks() throws Exception {
        SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1")
                .type(JOSEObjectType.JWT).build(), claims("rs-user", Instant.now().plusSeconds(300)));
        token.sign(new RSASSASigner(rsa));

        assertThat(decoder().decode(token.serialize()).getSubject()).isEqualTo("rs-user");
    }

    @Test
    void hs256_tokens_still_work_beside_the_jwks() throws Exception {
        SignedJWT token = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims("hs-user",
                Instant.now().plusSeconds(300)));
        token.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));

        assertThat(decoder().decode(token.serialize()).getClaimAsStringList("roles")).containsExactly("clinician");
    }

    @Test
    void rs256_tokens_signed_by_another_key_or_expired_are_refused() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                claims("eve", Instant.now().plusSeconds(300)));
        forged.sign(new RSASSASigner(stranger));
        SignedJWT expired = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                claims("old", Instant.now().minusSeconds(300)));
        expired.sign(new RSASSASigner(rsa));

        assertThatThrownBy(() -> decoder().decode(forged.serialize())).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> decoder().decode(expired.serialize())).isInstanceOf(JwtException.class);
    }

    @Test
    void with_only_a_jwks_uri_hs256_tokens_are_refused_and_no_local_tokens_are_made(@TempDir Path dir)
            throws Exception {
        Path tokenFile = dir.resolve("local-tokens.env");
        JwtProperties jwksOnly = new JwtProperties(null,
                "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks", tokenFile.toString());
        SecurityConfiguration.SigningKey key = configuration.signingKey(jwksOnly);
        JwtDecoder decoder = configuration.jwtDecoder(key, jwksOnly, java.time.Clock.systemUTC());
        SignedJWT rs256 = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                claims("rs-user", Instant.now().plusSeconds(300)));
        rs256.sign(new RSASSASigner(rsa));
        SignedJWT hs256 = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims("hs-user",
                Instant.now().plusSeconds(300)));
        hs256.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));

        new LocalTokens(key, jwksOnly, null).printTokens();

        assertThat(key.generated()).isFalse();
        assertThat(key.isPresent()).isFalse();
        assertThat(decoder.decode(rs256.serialize()).getSubject()).isEqualTo("rs-user");
        assertThatThrownBy(() -> decoder.decode(hs256.serialize())).isInstanceOf(JwtException.class);
        assertThat(tokenFile).doesNotExist();
    }

    @Test
    void without_a_secret_or_a_jwks_uri_a_local_run_makes_its_own_key() {
        SecurityConfiguration.SigningKey key = configuration.signingKey(new JwtProperties(null, null, "unused"));

        assertThat(key.generated()).isTrue();
        assertThat(key.isPresent()).isTrue();
    }

    @Test
    void secrets_shorter_than_32_bytes_are_refused_at_start() {
        assertThatThrownBy(() -> configuration.signingKey(new JwtProperties("too-short", null, "unused")))
                .hasMessageContaining("at least 32 bytes");
    }

    private static JWTClaimsSet claims(String subject, Instant expiry) {
        return new JWTClaimsSet.Builder().subject(subject).expirationTime(Date.from(expiry))
                .claim("roles", List.of("clinician")).claim("tenants", List.of("acme")).build();
    }

    @Test
    void a_cached_token_is_refused_once_it_expires() throws Exception {
        SignedJWT token = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims("brief",
                Instant.now().plusSeconds(60)));
        token.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        JwtProperties properties = new JwtProperties(SECRET, null, "unused");
        var now = new java.util.concurrent.atomic.AtomicReference<>(Instant.now());
        java.time.Clock clock = new java.time.Clock() {
            public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
            public java.time.Clock withZone(java.time.ZoneId zone) { return this; }
            public Instant instant() { return now.get(); }
        };
        JwtDecoder decoder = configuration.jwtDecoder(configuration.signingKey(properties), properties, clock);

        assertThat(decoder.decode(token.serialize()).getSubject()).isEqualTo("brief");
        assertThat(decoder.decode(token.serialize()).getSubject()).isEqualTo("brief");
        now.set(Instant.now().plusSeconds(120));
        assertThatThrownBy(() -> decoder.decode(token.serialize())).isInstanceOf(JwtException.class);
    }
}
