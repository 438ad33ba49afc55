package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.server.admin.AdminToken;
import dev.rendezvous.server.metrics.MetricsEndpoint;
import dev.rendezvous.server.metrics.ServerMetrics;
import dev.rendezvous.testing.ServerExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 16 on the HTTP side, on real sockets: every response — the page, the SDK, the API, an error —
 * carries the security headers (a page on another site cannot frame ours, sniff a type, read the referrer,
 * or run an injected inline script); {@code /metrics} behind a token answers only the scraper that sends it.
 * A normal pair keeps chatting beside.
 */
class SecurityHeadersTest {
    private static final String METRICS_TOKEN = "scrape-token-0123456789";
    private final HttpClient http = HttpClient.newHttpClient();

    @RegisterExtension
    final ServerExtension server = ServerExtension.create(c -> c.adminToken("admin-token-0123456789")
            .httpEndpoint(
                    MetricsEndpoint.PATH,
                    new MetricsEndpoint(
                            new ServerMetrics(),
                            Executors.newVirtualThreadPerTaskExecutor(),
                            new AdminToken(METRICS_TOKEN))));

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.httpUri(path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() throws Exception {
        Neighbours pair = new Neighbours(server);
        for (String path : List.of(
                "/",
                "/index.html",
                "/js/app.js",
                "/sdk/rendezvous.js",
                "/css/rendezvous.css",
                "/healthz",
                "/no-such-file",
                "/ws",
                "/admin/",
                "/admin/admin.css",
                "/debug.html",
                "/peerjs/id")) {
            HttpResponse<String> r = get(path, null);
            assertThat(r.headers().firstValue("X-Content-Type-Options"))
                    .as(path)
                    .hasValue("nosniff");
            assertThat(r.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
            assertThat(r.headers().firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
            String csp = r.headers()
                    .firstValue("Content-Security-Policy")
                    .orElseThrow(() -> new AssertionError("no CSP on " + path));
            assertThat(csp).as(path).contains("frame-ancestors 'none'").doesNotContain("unsafe-inline", "unsafe-eval");
        }
        for (String page : List.of("/", "/index.html", "/debug.html", "/admin/")) {
            HttpResponse<String> r = get(page, null);
            assertThat(r.headers().firstValue("Content-Type"))
                    .as(page)
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(r.headers().firstValue("Content-Security-Policy"))
                    .as(page)
                    .hasValueSatisfying(csp -> assertThat(csp)
                            .contains(
                                    "default-src 'self'",
                                    "script-src 'self'",
                                    "style-src 'self'",
                                    "object-src 'none'",
                                    "base-uri 'none'",
                                    "connect-src 'self' ws://127.0.0.1:" + server.port() + " wss://127.0.0.1:"
                                            + server.port()));
        }
        // the pages hold no inline script or style the policy would block
        for (String page : List.of("/", "/debug.html", "/admin/")) {
            String body = get(page, null).body();
            assertThat(body)
                    .as(page)
                    .doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>")
                    .doesNotContain("<style", " style=");
        }
        pair.chat();
    }

    @Test
    void metricsBehindATokenAnswerOnlyTheScraperThatSendsIt() throws Exception {
        Neighbours pair = new Neighbours(server);
        assertThat(get("/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get("/metrics", "Bearer wrong-token-0123456789").statusCode())
                .isEqualTo(401);
        HttpResponse<String> ok = get("/metrics", "Bearer " + METRICS_TOKEN);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("rendezvous_connections_refused_total");
        pair.chat();
    }
}
