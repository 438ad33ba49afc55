package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 5: a page and a Java SDK peer, both with relay-only ICE policy, connect through a real coturn on
 * 127.0.0.1 using the TURN credentials the server minted for each of them in {@code your_id}.
 */
class RelayOnlyJavaPeerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final E2eFixture e2e =
            E2eFixture.chromium(Duration.ofSeconds(15)).withJavaPeers().withTurnAnnounced();

    private BrowserContext context;
    /** Every text frame the server sent to a page of this test, in arrival order. */
    private final List<String> framesToPage = new CopyOnWriteArrayList<>();

    @BeforeEach
    void newContext() {
        context = e2e.newContext();
        // Registered before the page navigates, so the page's signaling socket is seen from its first frame.
        context.onPage(
                page -> page.onWebSocket(socket -> socket.onFrameReceived(frame -> framesToPage.add(frame.text()))));
    }

    @Test
    void aPageAndARelayOnlyJavaPeerChatThroughCoturnWithMintedCredentials() throws Exception {
        try (JavaPeer java = e2e.relayOnlyJavaPeer("java")) {
            ChatPage page = e2e.openChat(context, "relay=1");
            String pageId = java.pairedBy(page);

            java.hears(page, pageId, "relayed from the browser, ✓ ünïcødé");
            java.says(page, "relayed from java 👋");

            page.openDashboard();
            assertThat(page.summaryMetric("ice-servers")).hasText("1");
            assertThat(page.peerMetric(java.id(), "pair-type")).hasText("relay ↔ relay");
            assertThat(page.peerMetric(java.id(), "route"))
                    .hasText(Pattern.compile("^127\\.0\\.0\\.1:\\d+ → 127\\.0\\.0\\.1:\\d+$"));

            // What the Java peer signalled, as the page received it: relay candidates only, at least one.
            List<String> javaCandidates = candidatesFrom(java.id());
            assertThat(javaCandidates)
                    .as("candidates the Java peer signalled")
                    .isNotEmpty()
                    .allSatisfy(candidate -> assertThat(candidate).contains(" typ relay"));

            // coturn gave both an allocation under the user name minted for their id ("<expiry>:<client id>").
            String log = Files.readString(e2e.turn().logFile());
            for (String id : List.of(pageId, java.id())) {
                assertThat(log)
                        .as("coturn log")
                        .containsPattern(
                                "user <\\d+:" + Pattern.quote(id) + ">: incoming packet ALLOCATE processed, success");
            }
            assertThat(page.consoleErrors()).isEmpty();
        }
    }

    @Test
    void aRelayOnlyJavaPeerPairsWithARelayOnlyPage() throws Exception {
        try (JavaPeer java = e2e.relayOnlyJavaPeer("java")) {
            ChatPage page = e2e.openChat(context, "relay=1");
            String pageId = java.pairWith(page);

            java.says(page, "java offers through the relay ✓");
            java.hears(page, pageId, "the page answers through the relay 🎉");

            page.openDashboard();
            assertThat(page.peerCard(java.id()).locator(".badge.role")).hasText("answerer");
            assertThat(page.peerMetric(java.id(), "pair-type")).hasText("relay ↔ relay");
            assertThat(candidatesFrom(java.id()))
                    .as("candidates the Java peer signalled")
                    .isNotEmpty()
                    .allSatisfy(candidate -> assertThat(candidate).contains(" typ relay"));
            assertThat(page.consoleErrors()).isEmpty();
        }
    }

    /** Candidate lines relayed from {@code senderId}: trickled candidates and any inside its offer/answer SDP. */
    private List<String> candidatesFrom(String senderId) {
        List<String> candidates = new ArrayList<>();
        for (String frame : framesToPage) {
            JsonNode message = parse(frame);
            if (!senderId.equals(message.path("from").asText())) continue;
            switch (message.path("type").asText()) {
                case "candidate", "ice_candidate" -> {
                    JsonNode candidate = message.path("candidate");
                    String line = candidate.isTextual()
                            ? candidate.asText()
                            : candidate.path("candidate").asText();
                    if (!line.isBlank()) candidates.add(line);
                }
                case "offer", "answer" -> {
                    String sdp = message.path("sdp").isTextual()
                            ? message.path("sdp").asText()
                            : message.path(message.path("type").asText())
                                    .path("sdp")
                                    .asText();
                    sdp.lines()
                            .filter(line -> line.startsWith("a=candidate:"))
                            .map(line -> line.substring(2))
                            .forEach(candidates::add);
                }
                default -> {}
            }
        }
        return candidates;
    }

    private static JsonNode parse(String frame) {
        try {
            return JSON.readTree(frame);
        } catch (IOException e) {
            throw new UncheckedIOException("the server sent a frame that is not JSON: " + frame, e);
        }
    }
}
