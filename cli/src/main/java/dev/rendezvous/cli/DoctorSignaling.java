package dev.rendezvous.cli;

import static dev.rendezvous.cli.DoctorTarget.remaining;
import static dev.rendezvous.cli.DoctorTarget.since;

import dev.rendezvous.protocol.CloseCode;
import dev.rendezvous.protocol.IceServer;
import dev.rendezvous.protocol.Message;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code rendezvous doctor}'s WebSocket checks: admission (auth, {@code your_id} and the ICE servers it lists)
 * and the signaling round-trip time on a second admitted session. Blocking, on the caller's thread.
 */
final class DoctorSignaling {

    private static final int RTT_SAMPLES = 5;

    private final DoctorTarget target;

    DoctorSignaling(DoctorTarget target) {
        this.target = target;
    }

    /** The admission check and what {@code your_id} said. */
    record Admission(DoctorCheck check, Optional<List<IceServer>> iceServers) {}

    Admission admission() throws InterruptedException {
        String name = "WebSocket admission";
        long start = System.nanoTime();
        URI uri = target.webSocketUri();
        try (DoctorSocket socket = DoctorSocket.open(target.http(), uri, target.timeout())) {
            boolean sentToken = false;
            String user = null;
            long deadline = System.nanoTime() + target.timeout().toNanos();
            while (true) {
                DoctorSocket.Event event = socket.next(remaining(deadline));
                switch (event) {
                    case null -> {
                        return new Admission(
                                DoctorCheck.fail(
                                        name,
                                        "no your_id within " + target.timeout().toMillis() + " ms",
                                        since(start)),
                                Optional.empty());
                    }
                    case DoctorSocket.Event.Received(Message.AuthRequired ignored) -> {
                        if (target.token().isEmpty()) {
                            return new Admission(
                                    DoctorCheck.fail(
                                            name,
                                            "the server requires a token (auth_required); pass --token",
                                            since(start)),
                                    Optional.empty());
                        }
                        socket.send(new Message.AuthToken(target.token().get(), null));
                        sentToken = true;
                    }
                    case DoctorSocket.Event.Received(Message.AuthSuccess success) -> user = success.user();
                    case DoctorSocket.Event.Received(Message.YourId yourId) -> {
                        String how =
                                sentToken ? "token accepted" + (user == null ? "" : " as " + user) + ", " : "no auth, ";
                        return new Admission(
                                DoctorCheck.pass(name, how + "your_id " + yourId.id() + " at " + uri, since(start)),
                                Optional.of(yourId.iceServers()));
                    }
                    case DoctorSocket.Event.Received(Message.Error error) -> {
                        return new Admission(
                                DoctorCheck.fail(
                                        name,
                                        "error " + error.code().wireName() + ": " + error.message(),
                                        since(start)),
                                Optional.empty());
                    }
                    case DoctorSocket.Event.Received other -> {
                        /* ping and the like: keep waiting */
                    }
                    case DoctorSocket.Event.Undecodable u -> {
                        return new Admission(
                                DoctorCheck.fail(
                                        name,
                                        "the server sent a frame that is not protocol v1: " + u.problem(),
                                        since(start)),
                                Optional.empty());
                    }
                    case DoctorSocket.Event.Closed closed -> {
                        return new Admission(
                                DoctorCheck.fail(
                                        name,
                                        "closed with " + closed.code() + describeClose(closed.code())
                                                + (closed.reason().isEmpty() ? "" : " (" + closed.reason() + ")"),
                                        since(start)),
                                Optional.empty());
                    }
                    case DoctorSocket.Event.Failed failed -> {
                        return new Admission(
                                DoctorCheck.fail(name, target.explain(failed.error()), since(start)), Optional.empty());
                    }
                }
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return new Admission(DoctorCheck.fail(name, target.explain(e), since(start)), Optional.empty());
        }
    }

    /** Signaling round trip: client ping → server pong, {@value #RTT_SAMPLES} times on an admitted session. */
    DoctorCheck roundTrip() throws InterruptedException {
        String name = "round-trip time";
        long start = System.nanoTime();
        try (DoctorSocket socket = DoctorSocket.open(target.http(), target.webSocketUri(), target.timeout())) {
            long deadline = System.nanoTime() + target.timeout().toNanos();
            if (!awaitAdmitted(socket, deadline)) {
                return DoctorCheck.fail(name, "the second session was not admitted", since(start));
            }
            long[] samples = new long[RTT_SAMPLES];
            for (int i = 0; i < RTT_SAMPLES; i++) {
                long sent = System.nanoTime();
                socket.send(new Message.Ping());
                if (!awaitPong(socket, deadline)) {
                    return DoctorCheck.fail(
                            name,
                            "no pong for ping " + (i + 1) + " within "
                                    + target.timeout().toMillis() + " ms",
                            since(start));
                }
                samples[i] = System.nanoTime() - sent;
            }
            Arrays.sort(samples);
            return DoctorCheck.pass(
                    name,
                    String.format(
                            java.util.Locale.ROOT,
                            "signaling ping→pong median %.2f ms (min %.2f, max %.2f, %d samples)",
                            samples[RTT_SAMPLES / 2] / 1e6,
                            samples[0] / 1e6,
                            samples[RTT_SAMPLES - 1] / 1e6,
                            RTT_SAMPLES),
                    since(start));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return DoctorCheck.fail(name, target.explain(e), since(start));
        }
    }

    private boolean awaitAdmitted(DoctorSocket socket, long deadline) throws InterruptedException {
        while (true) {
            DoctorSocket.Event event = socket.next(remaining(deadline));
            if (ended(event)) {
                return false;
            }
            if (event instanceof DoctorSocket.Event.Received(Message.AuthRequired ignored)) {
                if (target.token().isEmpty()) {
                    return false;
                }
                socket.send(new Message.AuthToken(target.token().get(), null));
            } else if (event instanceof DoctorSocket.Event.Received(Message.YourId ignored)) {
                return true;
            }
        }
    }

    private static boolean awaitPong(DoctorSocket socket, long deadline) throws InterruptedException {
        while (true) {
            DoctorSocket.Event event = socket.next(remaining(deadline));
            if (ended(event)) {
                return false;
            }
            if (event instanceof DoctorSocket.Event.Received(Message.Pong ignored)) {
                return true;
            }
            if (event instanceof DoctorSocket.Event.Received(Message.Ping ignored)) {
                socket.send(new Message.Pong()); // the server's own keepalive
            }
        }
    }

    private static String describeClose(int code) {
        return CloseCode.of(code)
                .map(c -> switch (c) {
                    case AUTH_FAILED -> " (auth failed: wrong, expired or missing token)";
                    case ID_TAKEN -> " (id taken)";
                    case KEEPALIVE_TIMEOUT -> " (keepalive timeout)";
                    case RESUMED_ELSEWHERE -> " (session resumed on another connection)";
                    case RATE_LIMITED -> " (rate limited)";
                    case GOING_AWAY -> " (server going away)";
                    case MESSAGE_TOO_LARGE -> " (message too large)";
                    case INTERNAL_ERROR -> " (server error)";
                    case NORMAL -> "";
                })
                .orElse("");
    }

    /** The socket closed, failed or went quiet past the deadline ({@code null}): no answer will come. */
    private static boolean ended(DoctorSocket.Event event) {
        return event == null
                || event instanceof DoctorSocket.Event.Closed
                || event instanceof DoctorSocket.Event.Failed;
    }
}
