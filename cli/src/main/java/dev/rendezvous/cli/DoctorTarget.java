package dev.rendezvous.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * The server {@code rendezvous doctor} checks and how each check reaches it: its base URL, the token to
 * present, the time limit of one check and the HTTP client. Also the one sentence a failed connection
 * becomes, so that every check words it alike.
 */
record DoctorTarget(URI base, Optional<String> token, Duration timeout, HttpClient http) {

    /** Without the token. */
    @Override
    public String toString() {
        return "DoctorTarget[" + base + "]";
    }

    HttpResponse<String> get(URI uri, boolean withToken) throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (withToken) {
            token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The v1 signaling endpoint. */
    URI webSocketUri() {
        return webSocketUri("/ws");
    }

    /** {@code pathAndQuery} on the server, over wss when the base is https. */
    URI webSocketUri(String pathAndQuery) {
        String scheme = "https".equalsIgnoreCase(base.getScheme()) ? "wss" : "ws";
        return URI.create(scheme + "://" + base.getRawAuthority() + pathAndQuery);
    }

    /** One sentence for a failed connection, naming the likely cause. */
    String explain(Throwable e) {
        Throwable root = e;
        // Unwrap the async layers and plain IOExceptions that only wrap a more precise one; stop at a
        // precise one (the JDK's ConnectException wraps a meaningless ClosedChannelException).
        while (root.getCause() != null
                && root.getCause() != root
                && (root instanceof java.util.concurrent.ExecutionException
                        || root instanceof java.util.concurrent.CompletionException
                        || (root.getClass() == IOException.class && root.getCause() instanceof IOException))) {
            root = root.getCause();
        }
        String where = base.getHost() + ":" + port();
        return switch (root) {
            case HttpConnectTimeoutException t ->
                "connecting to " + where + " timed out after " + timeout.toMillis() + " ms";
            case HttpTimeoutException t -> "no answer from " + where + " within " + timeout.toMillis() + " ms";
            case ConnectException c -> "connection refused at " + where + ": is `rendezvous serve` running there?";
            case UnknownHostException u -> "cannot resolve host " + base.getHost();
            case UnresolvedAddressException u -> "cannot resolve host " + base.getHost();
            case SSLHandshakeException s
            when String.valueOf(s.getMessage()).contains("PKIX path building failed") ->
                "the certificate of " + where + " is not trusted by this JVM (self-signed or a private CA?"
                        + " pass a trust store: -Djavax.net.ssl.trustStore in RENDEZVOUS_JAVA_OPTS)";
            case SSLHandshakeException s -> "TLS handshake with " + where + " failed: " + s.getMessage();
            case SSLException s ->
                "TLS error with " + where + ": " + s.getMessage()
                        + ("http".equals(base.getScheme()) ? "" : " (is the server serving plain http?)");
            case WebSocketHandshakeException w ->
                "WebSocket upgrade refused with HTTP " + w.getResponse().statusCode();
            case java.util.concurrent.TimeoutException t ->
                "no answer from " + where + " within " + timeout.toMillis() + " ms";
            default -> root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        };
    }

    private int port() {
        return base.getPort() != -1 ? base.getPort() : "https".equalsIgnoreCase(base.getScheme()) ? 443 : 80;
    }

    static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
