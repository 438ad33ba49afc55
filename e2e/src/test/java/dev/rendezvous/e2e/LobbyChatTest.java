package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two pages meet in the lobby: one pairs with the other's id, both chat, and neither ever shows the "no
 * usable candidate" hint (the other side of {@link CandidateHintTest}: this suite's usual browser gathers
 * 127.0.0.1 in loopback mode); the dashboard shows the connection live and exports its log; when one leaves,
 * the other is ready for a new peer.
 */
class LobbyChatTest {

    @RegisterExtension
    static final E2eFixture e2e = E2eFixture.chromium(Duration.ofSeconds(15));

    @Test
    void twoPagesPairInTheLobbyAndChatBothWaysWithoutACandidateHint() {
        ChatPage.Pair pair = e2e.connectedPair("");
        pair.aliceSays("hello from alice ✓");
        pair.bobSays("hi alice 👋 — ünïcödé");
        pair.aliceSays("<b>not markup</b> & \"quotes\"");

        ChatPage alice = pair.alice();
        ChatPage bob = pair.bob();
        String bobId = pair.bobId();
        assertThat(alice.outgoing("hello from alice ✓").locator(".status")).hasText("Sent");
        alice.screenshot(Artifacts.screenshot("chat-lobby"));
        // The warning's deadline (4 s after the connection was built) passes with the channel open: still no hint.
        alice.page()
                .waitForFunction("() => window.rendezvous.snapshot().peers.every((p) => p.state.channel === 'open')"
                        + " && performance.now() - window.rendezvous.sdk().connection(" + json(bobId)
                        + ").createdAt > 4500");
        assertThat(alice.page().getByTestId("ice-hint")).isHidden();
        assertThat(
                        alice.page()
                                .evaluate(
                                        "() => window.rendezvous.events().filter((e) => e.kind === 'no_usable_candidates').length"))
                .isEqualTo(0);
        assertThat(bob.page().getByTestId("ice-hint")).isHidden();
        assertThat(pair.aliceId()).isNotEqualTo(bobId);
        assertThat(alice.consoleErrors()).isEmpty();
        assertThat(bob.consoleErrors()).isEmpty();
    }

    private static String json(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Test
    void dashboardShowsTheOpenChannelAndCountsAndExportsItsLogAsJson() throws IOException {
        ChatPage.Pair pair = e2e.connectedPair("");
        for (int i = 1; i <= 3; i++) pair.aliceSays("ping " + i);
        pair.bobSays("pong");

        ChatPage alice = pair.alice();
        String aliceId = pair.aliceId();
        String bobId = pair.bobId();
        alice.openDashboard();
        assertThat(alice.peerState(bobId, "signaling")).hasText("stable");
        assertThat(alice.peerState(bobId, "iceConnection")).hasText(Pattern.compile("connected|completed"));
        assertThat(alice.peerState(bobId, "connection")).hasText("connected");
        assertThat(alice.peerState(bobId, "channel")).hasText("open");
        assertThat(alice.peerMetric(bobId, "sent")).hasText("3");
        assertThat(alice.peerMetric(bobId, "received")).hasText("1");
        assertThat(alice.peerMetric(bobId, "errors")).hasText("0");
        assertThat(alice.peerMetric(bobId, "time-to-connect")).hasText(Pattern.compile("^\\d+ ms$"));
        assertThat(alice.peerMetric(bobId, "pair-type")).hasText("host ↔ host");
        assertThat(alice.peerMetric(bobId, "route"))
                .hasText(Pattern.compile("^127\\.0\\.0\\.1:\\d+ → 127\\.0\\.0\\.1:\\d+$"));
        assertThat(alice.summaryMetric("total-sent")).hasText("3");
        assertThat(alice.summaryMetric("total-received")).hasText("1");
        assertThat(alice.page()
                        .getByTestId("event-log")
                        .locator("[data-kind=\"channel_state\"]")
                        .first())
                .isVisible();
        alice.screenshot(Artifacts.screenshot("dashboard"));

        Path exported = alice.exportLog(Artifacts.exportedLog("lobby-alice"));
        JsonNode log = new ObjectMapper().readTree(exported.toFile());
        assertThat(log.path("format").asText()).isEqualTo("rendezvous-debug-log");
        assertThat(log.path("session").path("clientId").asText()).isEqualTo(aliceId);
        JsonNode peer = log.path("session").path("peers").get(0);
        assertThat(peer.path("peerId").asText()).isEqualTo(bobId);
        assertThat(peer.path("state").path("channel").asText()).isEqualTo("open");
        assertThat(peer.path("metrics").path("sent").asInt()).isEqualTo(3);
        assertThat(peer.path("metrics").path("received").asInt()).isEqualTo(1);
        List<String> kinds = new ArrayList<>();
        for (JsonNode event : log.path("events")) {
            assertThat(event.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            kinds.add(event.path("scope").asText() + " " + event.path("kind").asText());
        }
        assertThat(kinds)
                .contains(
                        "signaling received_your_id",
                        "signaling received_paired",
                        bobId + " connection_created",
                        bobId + " channel_state",
                        bobId + " selected_pair");
    }

    @Test
    void whenThePeerLeavesThePageIsReadyForANewPeer() {
        ChatPage.Pair pair = e2e.connectedPair("");
        pair.bobSays("bye soon");

        ChatPage alice = pair.alice();
        String aliceId = pair.aliceId();
        pair.bob().close();
        assertThat(alice.systemMessages().last()).hasText(Pattern.compile("left\\. Ready for a new peer\\."));
        alice.awaitChatState("waiting");
        assertThat(alice.page().getByLabel("Peer id")).isVisible();

        ChatPage carol = e2e.openChat("");
        String carolId = carol.awaitId();
        carol.pairWith(aliceId);
        carol.awaitChatState("connected");
        alice.awaitChatState("connected");
        alice.send("hello carol");
        carol.awaitIncoming(aliceId, "hello carol");
        carol.send("hello alice");
        alice.awaitIncoming(carolId, "hello alice");
        assertThat(alice.incomingFromAnyone("bye soon")).hasCount(1);
    }

    @Test
    void aRoomJoinedFromTheFieldConnectsItsMembersAndLeavingReturnsToTheLobby() {
        ChatPage alice = e2e.openChat("");
        String lobbyId = alice.awaitId();
        Page page = alice.page();

        page.getByLabel("Room name").fill("no spaces allowed");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Join room"))
                .click();
        assertThat(alice.systemMessages().last()).hasText(Pattern.compile("Room names are 1–64"));

        page.getByLabel("Room name").fill("team");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Join room"))
                .click();
        assertThat(page.locator("#chat-title")).hasText("# team");
        assertThat(page).hasURL(Pattern.compile("[?&]room=team(&|$)"));
        String roomId = alice.awaitId();

        ChatPage bob = e2e.openChat("room=team&name=bob");
        String bobId = bob.awaitId();
        alice.awaitChatState("connected");
        bob.awaitChatState("connected");
        assertThat(alice.member(bobId).locator(".name")).hasText("bob");
        bob.send("welcome to team");
        alice.awaitIncoming(bobId, "welcome to team");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Leave"))
                .click();
        assertThat(page.locator("#chat-title")).hasText("Lobby");
        assertThat(page.getByTestId("my-id")).not().hasText(roomId);
        assertThat(page.getByTestId("my-id")).not().hasText(lobbyId);
        assertThat(bob.members()).hasCount(0);
        bob.awaitChatState("alone");
    }

    @Test
    void refusalsAreShownAndNothingIsSentWithoutAPeer() {
        ChatPage alice = e2e.openChat("");
        alice.awaitId();
        alice.pairWith("nobody-has-this-id");
        assertThat(alice.systemMessages().last()).hasText(Pattern.compile("\\(peer_not_found\\)$"));
        alice.awaitChatState("waiting");

        alice.send("into the void");
        assertThat(alice.outgoing("into the void")).hasAttribute("data-status", "refused");
        assertThat(alice.outgoing("into the void").locator(".status"))
                .hasText(Pattern.compile("Nobody to send to yet"));
    }

    /**
     * The same rule as {@code rendezvous chat --pair} (ChatErrorsTest, ChatCommandProcessTest): a line typed
     * while our own pair request is under way waits for that peer only; if the pairing fails, it is refused.
     */
    @Test
    void aLineTypedWhileOurPairRequestIsUnderWayWaitsForThatPeerOnly() {
        ChatPage alice = e2e.openChat("");
        ChatPage bob = e2e.openChat("");
        String aliceId = alice.awaitId();
        String bobId = bob.awaitId();

        assertThat(pairAndTypeAtOnce(alice, bobId, "typed while pairing")).isEqualTo("queued");
        bob.awaitIncoming(aliceId, "typed while pairing");
        assertThat(alice.outgoing("typed while pairing").locator(".status")).hasText("Sent");

        ChatPage carol = e2e.openChat("");
        carol.awaitId();
        assertThat(pairAndTypeAtOnce(carol, "nobody-has-this-id", "for a ghost"))
                .isEqualTo("queued");
        assertThat(carol.outgoing("for a ghost")).hasAttribute("data-status", "refused");
        assertThat(carol.outgoing("for a ghost").locator(".status"))
                .hasText(
                        "Not sent: pairing with nobody-has-this-id failed (peer_not_found). Not kept for a later peer.");
        assertThat(alice.consoleErrors()).isEmpty();
        assertThat(carol.consoleErrors()).isEmpty();
    }

    /**
     * Presses Pair and sends a line in one task of the page, so the server's answer cannot come in between
     * (as when a person types right after pressing Pair); returns the line's status just after.
     */
    private static String pairAndTypeAtOnce(ChatPage chat, String peerId, String text) {
        return (String) chat.page().evaluate("""
        ([peer, text]) => {
          document.getElementById('pair-input').value = peer;
          document.getElementById('pair-form').requestSubmit();
          document.getElementById('message-input').value = text;
          document.getElementById('composer').requestSubmit();
          return [...document.querySelectorAll('#messages li.message.outgoing')].pop().dataset.status;
        }""", List.of(peerId, text));
    }

    @Test
    void debugPageOpensTheDashboardOfThePage() {
        Page page = e2e.openPage("/debug.html?loopback=1");
        assertThat(page.locator("#view-dashboard")).isVisible();
        assertThat(page.locator(".tile[data-metric=\"signaling\"] .tile-value")).hasText("ready");
        assertThat(page.locator(".peer-grid .card.empty")).isVisible();
    }
}
