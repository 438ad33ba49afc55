package dev.rendezvous.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

/** The admin token check and the cross-origin rule, in memory (AdminApiTest covers them over real sockets). */
class AdminTokenTest {
    private final AdminToken token = new AdminToken("s3cret-admin-token-value");

    @Test
    void onlyTheExactBearerTokenIsAccepted() {
        assertThat(token.accepts("Bearer s3cret-admin-token-value")).isTrue();
        assertThat(token.accepts("bearer s3cret-admin-token-value")).isTrue();
        assertThat(token.accepts("Bearer s3cret-admin-token-valuE")).isFalse();
        assertThat(token.accepts("Bearer s3cret-admin-token-value2")).isFalse();
        assertThat(token.accepts("Bearer ")).isFalse();
        assertThat(token.accepts("Basic s3cret-admin-token-value")).isFalse();
        assertThat(token.accepts("s3cret-admin-token-value")).isFalse();
        assertThat(token.accepts(null)).isFalse();
        assertThatThrownBy(() -> new AdminToken(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBrowserRequestFromAnotherOriginIsCrossOriginAToolsIsNot() {
        assertThat(AdminApi.crossOrigin(request(null, null))).isFalse(); // curl, the CLI
        assertThat(AdminApi.crossOrigin(request("http://127.0.0.1:8765", null))).isFalse();
        assertThat(AdminApi.crossOrigin(request("https://127.0.0.1:8765", "same-origin")))
                .isFalse();
        assertThat(AdminApi.crossOrigin(request("http://evil.example", null))).isTrue();
        assertThat(AdminApi.crossOrigin(request("http://127.0.0.1:9999", null))).isTrue();
        assertThat(AdminApi.crossOrigin(request("null", null))).isTrue();
        assertThat(AdminApi.crossOrigin(request(null, "cross-site"))).isTrue();
        assertThat(AdminApi.crossOrigin(request(null, "same-site"))).isTrue();
    }

    private static FullHttpRequest request(String origin, String fetchSite) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/admin/api/nodes");
        r.headers().set("Host", "127.0.0.1:8765");
        if (origin != null) {
            r.headers().set("Origin", origin);
        }
        if (fetchSite != null) {
            r.headers().set("Sec-Fetch-Site", fetchSite);
        }
        return r;
    }
}
