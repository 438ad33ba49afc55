package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.server.auth.JwtAuthenticator;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.Tokens;
import dev.rendezvous.testing.WsRecorder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** RS256 and ES256 tokens verified with a JWKS file and a JWKS URL (served on 127.0.0.1). */
class JwksAuthTest {
    static final RSAKey RSA = generateRsa("rsa-1");
    static final RSAKey OTHER_RSA = generateRsa("rsa-1"); // same kid, different key: a forgery
    static final ECKey EC = generateEc("ec-1");
    static final Path JWKS_FILE = writeJwks();
    static final HttpServer JWKS_HTTP = serveJwks();

    @AfterAll
    static void stopJwksServer() {
        JWKS_HTTP.stop(0);
    }

    @Nested
    class FromFile {
        @RegisterExtension
        final ServerExtension server =
                ServerExtension.create(c -> c.authenticator(authenticator(JWKS_FILE.toString())));

        @Test
        void rs256AndEs256Admit() {
            assertRs256AndEs256Admit(server);
        }

        @Test
        void aTokenSignedWithAnotherKeyIsRefused() {
            refused(server, Tokens.rs256(OTHER_RSA, Tokens.claims("mallory").build()));
        }

        @Test
        void hs256SignedWithThePublicKeyIsRefused() {
            // the classic algorithm-confusion attack: HS256 "signed" with the public key's text
            refused(
                    server,
                    Tokens.hs256(
                            RSA.toPublicJWK().toJSONString(),
                            Tokens.claims("mallory").build()));
        }
    }

    @Nested
    class FromUrl {
        @RegisterExtension
        final ServerExtension server = ServerExtension.create(c -> c.authenticator(
                authenticator("http://127.0.0.1:" + JWKS_HTTP.getAddress().getPort() + "/jwks.json")));

        @Test
        void rs256AndEs256Admit() {
            assertRs256AndEs256Admit(server);
        }
    }

    /** A token signed with either key of the set admits its subject, whichever source the set comes from. */
    private static void assertRs256AndEs256Admit(ServerExtension server) {
        assertThat(admit(server, Tokens.rs256(RSA, Tokens.claims("rita").build())))
                .isEqualTo("rita");
        assertThat(admit(server, Tokens.es256(EC, Tokens.claims("eddie").build())))
                .isEqualTo("eddie");
    }

    private static String admit(ServerExtension server, String token) {
        WsRecorder c = server.client(server.lobbyUri());
        c.next(Message.AuthRequired.class);
        c.send(new Message.AuthToken(token, null));
        String user = c.next(Message.AuthSuccess.class).user();
        c.next(Message.YourId.class);
        return user;
    }

    private static void refused(ServerExtension server, String token) {
        WsRecorder c = server.client(server.lobbyUri());
        c.next(Message.AuthRequired.class);
        c.send(new Message.AuthToken(token, null));
        c.nextError(ErrorCode.AUTH_FAILED);
        assertThat(c.awaitClose()).isEqualTo(4001);
    }

    private static JwtAuthenticator authenticator(String source) {
        try {
            return JwtAuthenticator.jwks(source, JwtAuthenticator.Options.defaults());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey generateRsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey generateEc(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String publicJwks() {
        return new JWKSet(java.util.List.of(RSA.toPublicJWK(), EC.toPublicJWK())).toString(true);
    }

    private static Path writeJwks() {
        try {
            Path file = Files.createTempFile("jwks", ".json");
            file.toFile().deleteOnExit();
            Files.writeString(file, publicJwks());
            return file;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpServer serveJwks() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] body = publicJwks().getBytes(StandardCharsets.UTF_8);
            http.createContext("/jwks.json", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            http.start();
            return http;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
