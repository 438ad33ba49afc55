package dev.rendezvous.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A room of three pages and one Java peer: a full mesh (the newcomer offers, members answer), every
 * message reaches every other member exactly once; one page closes and the others see it leave and
 * carry on.
 */
class RoomMeshTest {

    @RegisterExtension
    static final E2eFixture e2e = E2eFixture.chromium(Duration.ofSeconds(20)).withJavaPeers();

    @Test
    void threePagesAndAJavaPeerFormAFullMeshAndSurviveALeaver() throws Exception {
        String room = "mesh-e2e";
        // Join order: two pages, then Java (it offers to both), then a page (it offers to all three).
        Map<String, ChatPage> pages = new LinkedHashMap<>();
        ChatPage ana = join(room, "ana");
        pages.put(ana.awaitId(), ana);
        ChatPage ben = join(room, "ben");
        pages.put(ben.awaitId(), ben);
        try (JavaPeer java = e2e.javaPeerInRoom(room, "jay")) {
            ChatPage cleo = join(room, "cleo");
            pages.put(cleo.awaitId(), cleo);
            List<String> everyone = new ArrayList<>(pages.keySet());
            everyone.add(java.id());

            // Full mesh: each page shows the three others connected; the Java peer has three open channels.
            for (Map.Entry<String, ChatPage> entry : pages.entrySet()) {
                ChatPage page = entry.getValue();
                assertThat(page.members()).hasCount(3);
                for (String other : everyone) {
                    if (!other.equals(entry.getKey()))
                        assertThat(page.member(other)).hasAttribute("data-channel", "open");
                }
                page.awaitChatState("connected");
            }
            java.awaitEvents(
                    pages.keySet().stream().map(pageId -> "open " + pageId).toList());
            assertThat(java.sdk().peers())
                    .containsOnlyKeys(pages.keySet())
                    .allSatisfy((id, open) -> assertThat(open).isTrue());

            // Every member says one thing; every other member shows it exactly once.
            for (Map.Entry<String, ChatPage> entry : pages.entrySet())
                entry.getValue().send("hello from " + entry.getKey());
            java.send("hello from " + java.id());
            assertEachOtherMemberGotItOnce(pages, java, everyone);

            // Ben closes his page: everyone else sees him leave and carries on without him.
            String benId = everyone.get(1);
            ben.close();
            pages.remove(benId);
            everyone.remove(benId);
            for (ChatPage page : pages.values()) {
                assertThat(page.member(benId)).hasCount(0);
                assertThat(page.members()).hasCount(2);
                assertThat(page.systemMessages()
                                .filter(new Locator.FilterOptions().setHasText(Pattern.compile("^ben left\\.$"))))
                        .hasCount(1);
            }
            java.awaitEvent("left " + benId);
            assertThat(java.sdk().peers()).containsOnlyKeys(pages.keySet());

            for (Map.Entry<String, ChatPage> entry : pages.entrySet())
                entry.getValue().send("still here, " + entry.getKey());
            java.send("still here, " + java.id());
            for (Map.Entry<String, ChatPage> entry : pages.entrySet()) {
                for (String other : everyone) {
                    if (other.equals(entry.getKey())) continue;
                    entry.getValue().awaitIncoming(other, "still here, " + other);
                }
                assertThat(entry.getValue().incomingFromAnyone("still here, " + benId))
                        .hasCount(0);
            }
            Map<String, Integer> javaGot = java.readMessages(pages.size());
            Map<String, Integer> expected = new LinkedHashMap<>();
            for (String pageId : pages.keySet()) expected.put(pageId + ": still here, " + pageId, 1);
            assertThat(javaGot).isEqualTo(expected);

            ana.screenshot(Artifacts.screenshot("chat-room"));
            ana.openDashboard();
            ana.screenshot(Artifacts.screenshot("dashboard-room"));
            for (ChatPage page : pages.values())
                assertThat(page.consoleErrors()).isEmpty();
            assertThat(java.unreadMessages()).isEmpty();
        }
    }

    private void assertEachOtherMemberGotItOnce(Map<String, ChatPage> pages, JavaPeer java, List<String> everyone)
            throws InterruptedException {
        for (Map.Entry<String, ChatPage> entry : pages.entrySet()) {
            ChatPage page = entry.getValue();
            for (String other : everyone) {
                if (other.equals(entry.getKey())) continue;
                page.awaitIncoming(other, "hello from " + other);
            }
            assertThat(page.incomingFromAnyone("hello from " + entry.getKey())).hasCount(0);
        }
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (String pageId : pages.keySet()) expected.put(pageId + ": hello from " + pageId, 1);
        assertThat(java.readMessages(pages.size())).isEqualTo(expected);
        // Every page shows every message exactly once (awaitIncoming asserts a count of one); a late
        // duplicate would also have to overtake the next round, which each ordered channel forbids.
    }

    private ChatPage join(String room, String name) {
        return e2e.openChat("room=" + room + "&name=" + name);
    }
}
