package dev.rendezvous.cli;

import static dev.rendezvous.cli.DoctorTarget.since;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.protocol.IceServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs {@code rendezvous doctor}'s checks against one server, in order, each building on what the
 * previous ones found: HTTP, {@code /healthz}, the ICE servers endpoint, WebSocket admission, the PeerJS
 * endpoint ({@link DoctorPeerJs}), each
 * STUN/TURN server, two in-process peers, round-trip time. A check whose prerequisite failed is
 * reported as not run (and counts as failed). Runs on the caller's thread; blocking.
 */
final class Doctor {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DoctorTarget target;
    private final PeerCheck peerCheck;
    private final String peerJsPath;
    private final String peerJsKey;
    private final List<DoctorCheck> results = new ArrayList<>();

    /** The two-peer data channel check, separate so the doctor runs (and is tested) without WebRTC. */
    interface PeerCheck {
        DoctorCheck run(URI webSocket, Optional<String> token, Duration timeout);
    }

    /** @param peerJsPath the PeerJS mount path and {@code peerJsKey} its key (auth off), for {@link DoctorPeerJs} */
    Doctor(DoctorTarget target, PeerCheck peerCheck, String peerJsPath, String peerJsKey) {
        this.target = target;
        this.peerCheck = peerCheck;
        this.peerJsPath = peerJsPath;
        this.peerJsKey = peerJsKey;
    }

    List<DoctorCheck> run() throws InterruptedException {
        boolean reachable = add(httpReachable());
        if (!reachable) {
            String why = "the server is not reachable over HTTP";
            results.add(DoctorCheck.skipped("/healthz", why));
            results.add(DoctorCheck.skipped("ICE servers endpoint", why));
            results.add(DoctorCheck.skipped("WebSocket admission", why));
            results.add(DoctorCheck.skipped(DoctorPeerJs.NAME, why));
            results.add(DoctorCheck.skipped("peers pair and open a data channel", why));
            results.add(DoctorCheck.skipped("round-trip time", why));
            return List.copyOf(results);
        }
        add(healthz());
        Optional<List<IceServer>> fromEndpoint = iceServersEndpoint();
        DoctorSignaling signaling = new DoctorSignaling(target);
        DoctorSignaling.Admission admission = signaling.admission();
        results.add(admission.check());
        results.add(new DoctorPeerJs(target, peerJsPath, peerJsKey).run());
        List<IceServer> iceServers =
                fromEndpoint.or(() -> admission.iceServers()).orElse(List.of());
        results.addAll(new DoctorIceServers(target.timeout())
                .checks(
                        iceServers,
                        fromEndpoint.isPresent() || admission.iceServers().isPresent()));
        if (admission.check().ok()) {
            results.add(peerCheck.run(
                    target.webSocketUri(), target.token(), target.timeout().multipliedBy(3)));
            results.add(signaling.roundTrip());
        } else {
            results.add(DoctorCheck.skipped("peers pair and open a data channel", "WebSocket admission failed"));
            results.add(DoctorCheck.skipped("round-trip time", "WebSocket admission failed"));
        }
        return List.copyOf(results);
    }

    private boolean add(DoctorCheck check) {
        results.add(check);
        return check.ok();
    }

    // --- HTTP -----------------------------------------------------------------------------------

    private DoctorCheck httpReachable() throws InterruptedException {
        String name = "HTTP reachable";
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = target.get(target.base().resolve("/"), false);
            return DoctorCheck.pass(
                    name,
                    "HTTP " + response.statusCode() + " from " + target.base().resolve("/"),
                    since(start));
        } catch (IOException e) {
            return DoctorCheck.fail(name, target.explain(e), since(start));
        }
    }

    private DoctorCheck healthz() throws InterruptedException {
        String name = "/healthz";
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = target.get(target.base().resolve("/healthz"), false);
            String body = abbreviate(response.body().strip(), 80);
            return response.statusCode() == 200
                    ? DoctorCheck.pass(name, "200 " + body, since(start))
                    : DoctorCheck.fail(
                            name, "HTTP " + response.statusCode() + " " + body + " (expected 200)", since(start));
        } catch (IOException e) {
            return DoctorCheck.fail(name, target.explain(e), since(start));
        }
    }

    private Optional<List<IceServer>> iceServersEndpoint() throws InterruptedException {
        String name = "ICE servers endpoint";
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = target.get(target.base().resolve("/api/ice-servers"), true);
            int status = response.statusCode();
            if (status == 401) {
                results.add(DoctorCheck.fail(
                        name,
                        target.token().isPresent()
                                ? "401: the server refused the token (expired, wrong secret, issuer or audience?)"
                                : "401: the server requires a token; pass --token (mint one with `rendezvous token`)",
                        since(start)));
                return Optional.empty();
            }
            if (status != 200) {
                results.add(DoctorCheck.fail(
                        name, "HTTP " + status + " from /api/ice-servers (expected 200)", since(start)));
                return Optional.empty();
            }
            List<IceServer> servers =
                    DoctorIceServers.parse(JSON.readTree(response.body()).path("ice_servers"));
            results.add(
                    servers.isEmpty()
                            ? DoctorCheck.warn(
                                    name,
                                    "no STUN/TURN servers configured: peers only reach each other on the same network"
                                            + " (start the server with --ice-server stun:HOST:PORT, or a TURN server with --turn-secret, for peers on other networks)",
                                    since(start))
                            : DoctorCheck.pass(name, DoctorIceServers.describe(servers), since(start)));
            return Optional.of(servers);
        } catch (IOException | IllegalArgumentException e) {
            results.add(DoctorCheck.fail(name, target.explain(e), since(start)));
            return Optional.empty();
        }
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
