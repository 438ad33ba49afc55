package dev.rendezvous.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.testing.RawWebSocket;
import dev.rendezvous.testing.ServerExtension;
import dev.rendezvous.testing.TcpProxy;
import dev.rendezvous.testing.WsRecorder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Resume (v1.1) on one node: every rule of the contract's section, over real sockets and a faulty proxy. */
class ResumeTest {
    static final Duration GRACE = Duration.ofSeconds(5);

    @RegisterExtension
    final ServerExtension server = ServerExtension.create(b -> b.resumeGrace(GRACE));

    private TcpProxy proxy;

    @BeforeEach
    void proxy() throws IOException {
        proxy = server.trackCloseable(TcpProxy.to(server.port())); // closed after the test, before the leak check
    }

    private void awaitDetached(int n) {
        await("detached sessions")
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> server.server().detachedSessions() == n);
    }

    /** Alice (resumable, through the proxy) paired with Bob (v1). */
    private ResumingClient pairedAlice(WsRecorder bob) throws IOException {
        return ResumingClient.pairedWith(bob, proxy.uri("/ws?resumable=1"));
    }

    /** Alice, admitted through the proxy (resumable) and on her own. */
    private ResumingClient aloneAlice() {
        return ResumingClient.admit(proxy.uri("/ws?resumable=1"));
    }

    /** Cuts {@code c}'s connection at the proxy, without a close frame, and waits until its session is detached. */
    private ResumingClient detach(ResumingClient c) {
        proxy.last().cut();
        awaitDetached(1);
        return c;
    }

    @Test
    void yourIdCarriesATokenAndTheGraceOnlyWhenAskedFor() throws IOException {
        ResumingClient alice = ResumingClient.admit(server.uri("/ws?resumable=1"));
        assertThat(alice.token).hasSizeGreaterThanOrEqualTo(22); // >= 128 bits in base64url
        assertThat(alice.graceMs).isEqualTo(GRACE.toMillis());
        JsonNode plain = server.client(server.lobbyUri()).nextJson();
        assertThat(plain.has("resume_token")).isFalse();
        assertThat(plain.has("resume_grace_ms")).isFalse();
        ResumingClient other = ResumingClient.admit(server.uri("/ws?resumable=1"));
        assertThat(other.token).isNotEqualTo(alice.token);
        alice.closeCleanly();
        other.closeCleanly();
    }

    @Test
    void aDropIsInvisibleToThePeerAndTheResumeReplaysWhatWasMissedInOrder() throws IOException {
        WsRecorder bob = server.admittedClient();
        ResumingClient alice = detach(pairedAlice(bob));
        for (int i = 0; i < 3; i++) {
            bob.sendText("{\"type\":\"offer\",\"sdp\":\"" + i + "\"}");
        }
        bob.assertNothingBeforePong(); // no peer_disconnected, no error: Bob notices nothing

        JsonNode resumed = alice.resume(server.uri("/ws?resume=1"));
        assertThat(resumed.get("type").asText()).isEqualTo("resumed");
        assertThat(resumed.get("id").asText()).isEqualTo(alice.id);
        assertThat(resumed.get("received").asLong()).isZero();
        assertThat(resumed.get("replayed").asInt()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            JsonNode offer = alice.next();
            assertThat(offer.get("sdp").asText()).isEqualTo(String.valueOf(i));
            assertThat(offer.get("from").asText()).isEqualTo(bob.id());
        }
        assertThat(server.server().detachedSessions()).isZero();
        // live traffic both ways after the resume
        alice.send("{\"type\":\"answer\",\"sdp\":\"a\"}");
        assertThat(bob.nextJson().get("sdp").asText()).isEqualTo("a");
        bob.sendText("{\"type\":\"offer\",\"sdp\":\"live\"}");
        assertThat(alice.next().get("sdp").asText()).isEqualTo("live");
        alice.closeCleanlySeenBy(bob);
    }

    @Test
    void framesTheServerDidNotReadAreResentAndDeliveredOnce() throws IOException {
        WsRecorder bob = server.admittedClient();
        ResumingClient alice = pairedAlice(bob);
        alice.send("{\"type\":\"offer\",\"sdp\":\"1\"}");
        assertThat(bob.nextJson().get("sdp").asText()).isEqualTo("1");
        proxy.last().stall(); // the next frames never reach the server
        alice.send("{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c2\"}}");
        alice.send("{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c3\"}}");
        proxy.last().cut();
        awaitDetached(1);
        JsonNode resumed = alice.resume(server.uri("/ws?resume=1"));
        assertThat(resumed.get("received").asLong()).isEqualTo(1); // the offer only: c2 and c3 are resent
        assertThat(bob.nextJson().at("/candidate/candidate").asText()).isEqualTo("c2");
        assertThat(bob.nextJson().at("/candidate/candidate").asText()).isEqualTo("c3");
        bob.assertNothingBeforePong();
        alice.closeCleanly();
    }

    @Test
    void theServerCountsInvalidRefusedAndPongFramesToo() throws IOException {
        ResumingClient alice = aloneAlice();
        alice.send("not json");
        assertThat(alice.next().get("code").asText()).isEqualTo("invalid_json");
        alice.send("{\"type\":\"offer\",\"sdp\":\"x\"}");
        assertThat(alice.next().get("code").asText()).isEqualTo("not_paired");
        alice.send("{\"type\":\"pong\"}");
        alice.send("{\"type\":\"ping\"}");
        assertThat(alice.next().get("type").asText()).isEqualTo("pong");
        proxy.last().cut();
        awaitDetached(1);
        JsonNode resumed = alice.resume(server.uri("/ws?resume=1"), alice.token, 1); // lost the last two answers
        assertThat(resumed.get("received").asLong()).isEqualTo(4);
        assertThat(resumed.get("replayed").asInt()).isEqualTo(2);
        assertThat(alice.next().get("code").asText()).isEqualTo("not_paired");
        assertThat(alice.next().get("type").asText()).isEqualTo("pong");
        alice.closeCleanly();
    }

    @Test
    void aCloseFrameEndsAResumableSessionAtOnce() throws IOException {
        WsRecorder bob = server.admittedClient();
        ResumingClient alice = pairedAlice(bob);
        alice.closeCleanlySeenBy(bob);
        JsonNode failed = alice.resume(server.uri("/ws?resume=1"));
        assertThat(failed.get("code").asText()).isEqualTo(ErrorCode.RESUME_FAILED.wireName());
        alice.close();
    }

    @Test
    void aWrongTokenFailsAndLeavesTheDetachedSessionAsItWas() throws IOException {
        WsRecorder bob = server.admittedClient();
        ResumingClient alice = detach(pairedAlice(bob));
        // One character changed, never to itself (a token that starts with "A" would otherwise stay right: 1 in 64).
        String wrong = (alice.token.charAt(0) == 'A' ? "B" : "A") + alice.token.substring(1);
        JsonNode failed = alice.resume(server.uri("/ws?resume=1"), wrong, alice.received);
        assertThat(failed.get("code").asText()).isEqualTo("resume_failed");
        assertThat(failed.get("message").asText()).contains("token");
        // the failed connection goes on as a new resumable session
        JsonNode fresh = ResumingClient.parse(alice.socket().readText());
        assertThat(fresh.get("type").asText()).isEqualTo("your_id");
        assertThat(fresh.get("id").asText()).isNotEqualTo(alice.id);
        assertThat(fresh.hasNonNull("resume_token")).isTrue();
        alice.close();
        bob.assertNothingBeforePong();
        // the real token still works
        assertThat(alice.resume(server.uri("/ws?resume=1")).get("type").asText())
                .isEqualTo("resumed");
        alice.closeCleanlySeenBy(bob);
    }

    @Test
    void eachTokenWorksOnce() throws IOException {
        ResumingClient alice = detach(aloneAlice());
        String first = alice.token;
        assertThat(alice.resume(proxy.uri("/ws?resume=1")).get("type").asText()).isEqualTo("resumed");
        assertThat(alice.token).isNotEqualTo(first);
        proxy.last().cut();
        awaitDetached(1);
        JsonNode reused = alice.resume(server.uri("/ws?resume=1"), first, alice.received);
        assertThat(reused.get("code").asText()).isEqualTo("resume_failed");
        alice.close();
    }

    @Test
    void anUnknownIdOrANonResumeFirstFrameFailsThenAdmitsANewSessionWithTheUrlParameters() throws IOException {
        RawWebSocket ws = RawWebSocket.connect(server.uri("/ws?resume=1&resumable=1&client_id=carol"));
        ws.sendText("{\"type\":\"resume\",\"id\":\"nobody\",\"resume_token\":\"x\",\"received\":0}");
        JsonNode failed = ResumingClient.parse(ws.readText());
        assertThat(failed.get("code").asText()).isEqualTo("resume_failed");
        assertThat(failed.get("ref").asText()).isEqualTo("resume");
        JsonNode yourId = ResumingClient.parse(ws.readText());
        assertThat(yourId.get("id").asText()).isEqualTo("carol");
        assertThat(yourId.hasNonNull("resume_token")).isTrue();
        ws.close();

        RawWebSocket other = RawWebSocket.connect(server.uri("/ws?resume=1"));
        other.sendText("{\"type\":\"ping\"}");
        JsonNode notResume = ResumingClient.parse(other.readText());
        assertThat(notResume.get("code").asText()).isEqualTo("resume_failed");
        assertThat(notResume.get("ref").asText()).isEqualTo("ping");
        assertThat(ResumingClient.parse(other.readText()).get("type").asText()).isEqualTo("your_id");
        other.close();
    }

    @Test
    void aHalfOpenOldConnectionIsClosedWith4009AndTheNewOneCarriesTheSession() throws IOException {
        WsRecorder bob = server.admittedClient();
        ResumingClient alice = ResumingClient.pairedWith(bob, server.uri("/ws?resumable=1"));
        RawWebSocket old = alice.resumeReplacingOpenConnection(server.uri("/ws?resume=1"));
        bob.sendText("{\"type\":\"offer\",\"sdp\":\"after\"}");
        assertThat(alice.next().get("sdp").asText()).isEqualTo("after");
        bob.assertNothingBeforePong();
        old.close();
        alice.closeCleanlySeenBy(bob);
    }

    @Test
    void aRoomSeesNoDepartureWhileAMemberIsDetached() throws IOException {
        WsRecorder bob = server.admittedClient("r1");
        bob.next(Message.UsersInRoom.class);
        ResumingClient alice = ResumingClient.admit(proxy.uri("/ws/r1?resumable=1&username=alice"));
        assertThat(alice.next().get("type").asText()).isEqualTo("users_in_room");
        bob.next(Message.UserJoined.class);
        proxy.last().cut();
        awaitDetached(1);
        bob.sendText("{\"type\":\"offer\",\"to\":\"" + alice.id + "\",\"sdp\":\"s\"}");
        bob.assertNothingBeforePong();
        assertThat(alice.resume(server.uri("/ws/r1?resume=1")).get("replayed").asInt())
                .isEqualTo(1);
        assertThat(alice.next().get("sdp").asText()).isEqualTo("s");
        alice.closeCleanly();
        assertThat(bob.next(Message.UserLeft.class).clientId()).isEqualTo(alice.id);
    }

    @Test
    void aDetachedSessionWhoseBufferOverflowsDepartsAndItsSenderOnlySeesThat() throws IOException {
        WsRecorder bob = server.admittedClient();
        ResumingClient alice = detach(pairedAlice(bob));
        for (int i = 0; i < 300; i++) { // more than the 256 frames kept
            bob.sendText("{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"" + i + "\"}}");
        }
        assertThat(bob.next(Message.PeerDisconnected.class).peerId()).isEqualTo(alice.id);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.server().resumableSessions() == 0);
        assertThat(alice.resume(server.uri("/ws?resume=1")).get("code").asText())
                .isEqualTo("resume_failed");
        alice.close();
    }

    @Test
    void thePeerLeavingWhileDetachedIsReplayedAsPeerDisconnected() throws IOException {
        WsRecorder bob = server.admittedClient();
        ResumingClient alice = detach(pairedAlice(bob));
        bob.close(1000, "bye");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.hubState().pairs() == 0);
        JsonNode resumed = alice.resume(server.uri("/ws?resume=1"));
        assertThat(resumed.get("replayed").asInt()).isEqualTo(1);
        assertThat(alice.next().get("type").asText()).isEqualTo("peer_disconnected");
        alice.closeCleanly();
    }

    @Test
    void twoResumesAtOnceResumeOnceAndTheOtherFails() throws Exception {
        ResumingClient alice = detach(aloneAlice());
        List<CompletableFuture<String>> attempts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String token = alice.token;
            attempts.add(CompletableFuture.supplyAsync(() -> {
                try (RawWebSocket ws = RawWebSocket.connect(server.uri("/ws?resume=1"))) {
                    ws.sendText("{\"type\":\"resume\",\"id\":\"" + alice.id + "\",\"resume_token\":\"" + token
                            + "\",\"received\":0}");
                    String type =
                            ResumingClient.parse(ws.readText()).path("type").asText();
                    if (type.equals("resumed")) {
                        ws.closeCleanly();
                    }
                    return type;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
        List<String> outcomes =
                attempts.stream().map(CompletableFuture::join).sorted().toList();
        assertThat(outcomes).containsExactly("error", "resumed");
    }

    @Test
    void pairingCompletesAcrossADropOfTheRequestedSide() throws IOException {
        ResumingClient alice = detach(aloneAlice());
        WsRecorder bob = server.admittedClient();
        bob.send(new Message.PairRequest(alice.id)); // pairs with the detached session: nobody can tell
        bob.next(Message.Paired.class);
        bob.sendText("{\"type\":\"offer\",\"sdp\":\"o\"}");
        bob.assertNothingBeforePong();
        assertThat(alice.resume(server.uri("/ws?resume=1")).get("replayed").asInt())
                .isEqualTo(2);
        assertThat(alice.next().get("type").asText()).isEqualTo("paired");
        assertThat(alice.next().get("sdp").asText()).isEqualTo("o");
        alice.send("{\"type\":\"answer\",\"sdp\":\"a\"}");
        assertThat(bob.nextJson().get("sdp").asText()).isEqualTo("a");
        alice.closeCleanly();
    }

    @Test
    void negotiationCompletesAcrossDropsMidOfferAndMidCandidatesOnEitherSide() throws IOException {
        TcpProxy bobProxy = server.trackCloseable(TcpProxy.to(server.port()));
        ResumingClient alice = aloneAlice();
        ResumingClient bob = ResumingClient.admit(bobProxy.uri("/ws?resumable=1"));
        bob.pairWith(alice);
        // Bob's offer is cut off mid-way: stalled then cut, so it may or may not have reached the server
        bobProxy.last().stall();
        bob.send("{\"type\":\"offer\",\"sdp\":\"o\"}");
        bobProxy.last().cut();
        assertThat(bob.resume(bobProxy.uri("/ws?resume=1")).get("type").asText())
                .isEqualTo("resumed");
        assertThat(alice.next().get("sdp").asText()).isEqualTo("o");
        alice.send("{\"type\":\"answer\",\"sdp\":\"a\"}");
        assertThat(bob.next().get("sdp").asText()).isEqualTo("a");
        // Alice drops mid-candidates
        alice.send("{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"a1\"}}");
        bob.send("{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"b1\"}}");
        proxy.last().cut();
        bob.send("{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"b2\"}}");
        alice.sendLost("{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"a2\"}}"); // lost with the socket
        await().atMost(Duration.ofSeconds(5)).until(() -> server.server().detachedSessions() == 1);
        assertThat(alice.resume(server.uri("/ws?resume=1")).get("type").asText())
                .isEqualTo("resumed");
        assertThat(alice.next().at("/candidate/candidate").asText()).isEqualTo("b1");
        assertThat(alice.next().at("/candidate/candidate").asText()).isEqualTo("b2");
        assertThat(bob.next().at("/candidate/candidate").asText()).isEqualTo("a1");
        assertThat(bob.next().at("/candidate/candidate").asText()).isEqualTo("a2");
        alice.closeCleanly();
        assertThat(bob.next().get("type").asText()).isEqualTo("peer_disconnected");
        bob.closeCleanly();
    }
}
