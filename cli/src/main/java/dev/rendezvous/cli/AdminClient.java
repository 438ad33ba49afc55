package dev.rendezvous.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Reads the server's admin API ({@code /admin/api/…}) with the admin token, for {@code status} and
 * {@code rooms}. Every way it can fail is one {@link AdminException} whose message is a sentence with the fix.
 */
record AdminClient(URI base, String token, Duration timeout) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Without the token: it is all that guards the admin API. */
    @Override
    public String toString() {
        return "AdminClient[" + base + "]";
    }

    /** A failure to show as it is: one sentence, no stack trace. */
    static final class AdminException extends Exception {
        AdminException(String message) {
            super(message);
        }
    }

    /** GETs {@code path} (e.g. {@code /admin/api/nodes}) and parses its JSON. */
    JsonNode get(String path) throws AdminException, InterruptedException {
        URI uri = base.resolve(path);
        HttpResponse<String> r;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build()) {
            r = http.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(timeout)
                            .header("Authorization", "Bearer " + token)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new AdminException("could not connect to " + base + ": is the server running there?");
        } catch (HttpTimeoutException e) {
            throw new AdminException(base + " did not answer within " + timeout.toMillis()
                    + " ms: check the address or raise --timeout");
        } catch (IOException e) {
            throw new AdminException("could not read " + uri + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        return switch (r.statusCode()) {
            case 200 -> parse(uri, r.body());
            case 401 ->
                throw new AdminException("the server refused the admin token: pass the one it was started with"
                        + " (--admin-token or RENDEZVOUS_ADMIN_TOKEN)");
            case 404 ->
                throw new AdminException("the admin API is off: start the server with --admin-token <secret>"
                        + " (or RENDEZVOUS_ADMIN_TOKEN, or admin.token in its config file)");
            default ->
                throw new AdminException(uri + " answered HTTP " + r.statusCode() + ": "
                        + r.body().strip());
        };
    }

    private static JsonNode parse(URI uri, String body) throws AdminException {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AdminException(uri + " did not answer JSON: is this a Rendezvous server?");
        }
    }
}
