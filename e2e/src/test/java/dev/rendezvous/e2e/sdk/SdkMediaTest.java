package dev.rendezvous.e2e.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.e2e.E2eFixture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Calls through the SDK between Chromium pages (fake camera and microphone, loopback ICE): a data-only
 * chat that adds video (renegotiation), offers that cross (glare), and an ICE restart.
 */
class SdkMediaTest {

    @RegisterExtension
    static final E2eFixture e2e = E2eFixture.chromium();

    @Test
    void aDataOnlyChatAddsVideoAndBothSidesDecodeTheOthersFrames() {
        SdkPage ana = open();
        SdkPage ben = open();
        ana.connect(ben.id());
        ben.awaitOpen(ana.id());
        assertThat(ana.send(ben.id(), "text first")).isEqualTo("sent");
        ben.awaitReceived(ana.id() + ": text first");
        assertThat(ana.eval("id => rv.connection(id).peerConnection.getTransceivers().length", ben.id()))
                .isEqualTo(0);

        // Ana adds camera and microphone (she renegotiates), then Ben does (he renegotiates).
        assertThat(ana.startCamera()).isEqualTo(2);
        ben.awaitMediaFrom(ana.id());
        assertThat(ben.startCamera()).isEqualTo(2);
        ana.awaitMediaFrom(ben.id());
        ben.awaitMediaFrom(ana.id());

        // The chat channel carried on through both renegotiations.
        assertThat(ben.send(ana.id(), "still chatting")).isEqualTo("sent");
        ana.awaitReceived(ben.id() + ": still chatting");
        assertThat(ana.logKinds()).contains(ben.id() + " local_offer_created", ben.id() + " remote_answer_applied");
        assertThat(ana.consoleErrors()).isEmpty();
        assertThat(ben.consoleErrors()).isEmpty();
    }

    @Test
    void whenBothAddTracksAtTheSameMomentTheOffersCrossAndBothEndWithVideo() {
        SignalingTap[] taps = new SignalingTap[2];
        SdkPage ana = SdkPage.open(e2e, Map.of(), page -> taps[0] = SignalingTap.install(page));
        SdkPage ben = SdkPage.open(e2e, Map.of(), page -> taps[1] = SignalingTap.install(page));
        SignalingTap anaTap = taps[0];
        SignalingTap benTap = taps[1];
        ana.connect(ben.id());
        ben.awaitOpen(ana.id());

        // Both pages add their camera while neither offer can reach the other: the offers must cross.
        anaTap.hold();
        benTap.hold();
        ana.startCamera();
        ben.startCamera();
        SdkPage.await().until(() -> {
            ana.page().evaluate("1"); // lets Playwright run the routing callbacks
            return anaTap.heldOffers() == 1 && benTap.heldOffers() == 1;
        });
        anaTap.release();
        benTap.release();

        ana.awaitMediaFrom(ben.id());
        ben.awaitMediaFrom(ana.id());
        SdkPage polite = (Boolean) ana.eval("id => rv.connection(id).polite", ben.id()) ? ana : ben;
        SdkPage impolite = polite == ana ? ben : ana;
        String politePeer = polite == ana ? ben.id() : ana.id();
        String impolitePeer = polite == ana ? ana.id() : ben.id();
        assertThat(polite.logKinds()).contains(politePeer + " glare_rollback");
        assertThat(impolite.logKinds()).contains(impolitePeer + " glare_offer_ignored");
        assertThat(ana.send(ben.id(), "after the glare")).isEqualTo("sent");
        ben.awaitReceived(ana.id() + ": after the glare");
    }

    /**
     * ICE failure is simulated: the page's RTCPeerConnection reports {@code iceConnectionState = 'failed'}
     * once (there is no packet filter in the test's network namespace to break the path for real).
     * Everything after is real: the SDK restarts ICE, both sides take new ICE credentials through a new
     * offer and answer, and video and chat carry on.
     */
    @Test
    void aConnectionThatFailsRecoversByAnIceRestart() {
        SdkPage ana = open();
        SdkPage ben = open();
        ana.connect(ben.id());
        ana.startCamera();
        ben.awaitMediaFrom(ana.id());
        String ufragBefore = remoteUfrag(ben, ana.id());

        ana.eval("""
                id => {
                  const pc = rv.connection(id).peerConnection;
                  Object.defineProperty(pc, 'iceConnectionState', { get: () => 'failed', configurable: true });
                  pc.dispatchEvent(new Event('iceconnectionstatechange'));
                  delete pc.iceConnectionState;
                }
                """, ben.id());

        ben.awaitTrue(
                "([id, before]) => { const d = rv.connection(id).peerConnection.remoteDescription;"
                        + " return d && !d.sdp.includes('a=ice-ufrag:' + before + '\\r\\n'); }",
                List.of(ana.id(), ufragBefore));
        ana.awaitTrue(
                "id => ['connected', 'completed'].includes(rv.connection(id).peerConnection.iceConnectionState)",
                ben.id());
        assertThat(ana.eval("id => rv.connection(id).metrics.iceRestarts", ben.id()))
                .isEqualTo(1);
        assertThat(ana.logKinds()).contains(ben.id() + " ice_restart");
        long frames = ben.framesDecodedFrom(ana.id());
        SdkPage.await().until(() -> ben.framesDecodedFrom(ana.id()) > frames + 10);
        assertThat(ana.send(ben.id(), "after the restart")).isEqualTo("sent");
        ben.awaitReceived(ana.id() + ": after the restart");
    }

    private static String remoteUfrag(SdkPage page, String peerId) {
        return (String) page.eval(
                "id => rv.connection(id).peerConnection.remoteDescription.sdp.match(/a=ice-ufrag:(\\S+)/)[1]", peerId);
    }

    private SdkPage open() {
        return SdkPage.open(e2e, Map.of());
    }
}
