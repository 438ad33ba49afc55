package dev.rendezvous.cli;

import static dev.rendezvous.cli.DoctorTarget.since;

import dev.rendezvous.client.Peer;
import dev.rendezvous.client.PeerListener;
import dev.rendezvous.client.PeerOptions;
import dev.rendezvous.client.rtc.RtcRuntime;
import dev.rendezvous.client.rtc.SessionConfig;
import dev.rendezvous.client.signaling.SignalingOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The doctor's end-to-end check: two in-process Java peers join the lobby, pair through the server,
 * negotiate WebRTC in loopback mode (host candidates on 127.0.0.1 only, no ICE servers: this check is
 * about signaling; the STUN/TURN checks cover ICE servers), open the {@code chat} data channel and
 * exchange one message each way, whose round trip is reported.
 */
final class DoctorPeers implements Doctor.PeerCheck {

    static final String NAME = "peers pair and open a data channel";

    /**
     * Entry point of the child JVM {@link DoctorPeersProcess} starts: {@code <ws-uri> <timeout-ms>}, the
     * token in {@code RENDEZVOUS_DOCTOR_TOKEN}. Prints one {@link DoctorPeersProcess#MARKER} line with the
     * verdict as JSON; anything else libwebrtc prints on standard output is ignored by the parent.
     */
    public static void main(String[] args) {
        Optional<String> token =
                Optional.ofNullable(System.getenv(DoctorPeersProcess.TOKEN_ENV)).filter(t -> !t.isBlank());
        DoctorCheck check =
                new DoctorPeers().run(URI.create(args[0]), token, Duration.ofMillis(Long.parseLong(args[1])));
        System.out.println(DoctorPeersProcess.MARKER + DoctorPeersProcess.encode(check));
        System.out.flush();
        System.exit(0);
    }

    @Override
    public DoctorCheck run(URI webSocket, Optional<String> token, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        RtcRuntime runtime;
        try {
            runtime = RtcRuntime.create();
        } catch (RuntimeException | LinkageError e) {
            return DoctorCheck.fail(NAME, "cannot load libwebrtc (webrtc-java): " + e.getMessage(), since(start));
        }
        Events a = new Events(false);
        Events b = new Events(true);
        Peer first = null;
        Peer second = null;
        String stage = "connecting the first peer";
        try {
            first = connect(webSocket, token, runtime, a, deadline);
            stage = "connecting the second peer";
            second = connect(webSocket, token, runtime, b, deadline);
            b.self = second;
            stage = "pairing";
            first.pair(second.id()).get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            a.paired.get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            stage = "opening the data channel (offer/answer/candidates relayed by the server)";
            a.channelOpen.get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            b.channelOpen.get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            Duration openedAfter = since(start);
            stage = "exchanging a message over the data channel";
            long sent = System.nanoTime();
            first.send("doctor-ping");
            a.echo.get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            double rttMs = (System.nanoTime() - sent) / 1e6;
            return DoctorCheck.pass(
                    NAME,
                    String.format(
                            Locale.ROOT,
                            "paired, channel open after %d ms, data channel round trip %.2f ms",
                            openedAfter.toMillis(),
                            rttMs),
                    since(start));
        } catch (TimeoutException e) {
            return DoctorCheck.fail(
                    NAME, "timed out " + stage + (a.error == null ? "" : "; last error: " + a.error), since(start));
        } catch (ExecutionException e) {
            return DoctorCheck.fail(NAME, stage + " failed: " + describe(e.getCause()), since(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DoctorCheck.fail(NAME, "interrupted while " + stage, since(start));
        } catch (RuntimeException e) {
            return DoctorCheck.fail(NAME, stage + " failed: " + describe(e), since(start));
        } finally {
            if (second != null) {
                second.close();
            }
            if (first != null) {
                first.close();
            }
            runtime.close();
        }
    }

    private static Peer connect(URI webSocket, Optional<String> token, RtcRuntime runtime, Events events, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        SignalingOptions signaling = SignalingOptions.of(webSocket).withUsername("doctor");
        if (token.isPresent()) {
            signaling = signaling.withToken(token.get());
        }
        // keepIceServers with none: loopback host candidates only, whatever the server hands out.
        PeerOptions options = new PeerOptions(signaling, null, SessionConfig.loopbackDefaults(), true, runtime);
        return Peer.connect(options, events).get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
    }

    /** Completes futures from the peer's event thread; the answering side echoes. */
    private static final class Events implements PeerListener {
        final boolean echoes;
        final CompletableFuture<Void> paired = new CompletableFuture<>();
        final CompletableFuture<Void> channelOpen = new CompletableFuture<>();
        final CompletableFuture<String> echo = new CompletableFuture<>();
        volatile Peer self;
        volatile String error;

        Events(boolean echoes) {
            this.echoes = echoes;
        }

        @Override
        public void onPaired(String peerId, boolean initiator) {
            paired.complete(null);
        }

        @Override
        public void onChannelOpen(String peerId) {
            channelOpen.complete(null);
        }

        @Override
        public void onMessage(String peerId, String text) {
            Peer me = self;
            if (echoes && me != null) {
                me.send(text); // never throws; the initiator waits for this echo
            } else {
                echo.complete(text);
            }
        }

        @Override
        public void onError(String code, String message) {
            error = code + ": " + message;
            if (!paired.isDone()) {
                paired.completeExceptionally(new IllegalStateException("server error " + code + ": " + message));
            }
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }
}
