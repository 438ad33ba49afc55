package dev.rendezvous.e2e.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.e2e.E2eFixture;
import dev.rendezvous.server.ice.TurnCredential;
import dev.rendezvous.testing.TcpProxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A connection that fails for real recovers by an ICE restart. Both pages may only relay (ICE policy
 * {@code relay}) through a real coturn on 127.0.0.1, reached over TURN/TCP through a {@link TcpProxy}; the
 * test resets every TURN connection the proxy carries (RST, as a network that drops a NAT mapping would),
 * so the relayed path is gone and the peer connection goes disconnected or failed by itself. The SDK
 * restarts ICE: new credentials through a new offer and answer, new TURN allocations through the proxy,
 * and the chat and the video carry on.
 */
class IceRestartOverTurnTest {

    @RegisterExtension
    static final E2eFixture e2e = E2eFixture.chromium().withTurn();

    @Test
    void aConnectionWhoseRelayIsCutFailsForRealAndRecoversByAnIceRestart() throws Exception {
        try (TcpProxy turnLine = TcpProxy.to(e2e.turn().port())) {
            SdkPage ana = open(turnLine, "ana");
            SdkPage ben = open(turnLine, "ben");
            ana.connect(ben.id());
            ana.startCamera();
            ben.awaitMediaFrom(ana.id());
            assertThat(localCandidateType(ana, ben.id())).isEqualTo("relay");
            String anaUfragAtBen = remoteUfrag(ben, ana.id());
            String benUfragAtAna = remoteUfrag(ana, ben.id());
            int linesBefore = turnLine.pipes().size();
            assertThat(linesBefore)
                    .as("both pages' TURN/TCP connections go through the proxy")
                    .isGreaterThanOrEqualTo(2);

            for (SdkPage page : new SdkPage[] {ana, ben}) { // what the browser itself reports from now on
                page.eval(
                        "id => { const pc = rv.connection(id).peerConnection; window.iceStates = [];"
                                + " pc.addEventListener('iceconnectionstatechange', () => iceStates.push(pc.iceConnectionState)); }",
                        page == ana ? ben.id() : ana.id());
            }

            turnLine.pipes().forEach(TcpProxy.Pipe::cut);

            // The failure is real: the browser's own ICE agent leaves 'connected', and the SDK restarts ICE.
            SdkPage.await()
                    .until(() -> ana.logKinds().contains(ben.id() + " ice_restart")
                            || ben.logKinds().contains(ana.id() + " ice_restart"));
            ana.awaitTrue(
                    "([id, before]) => { const d = rv.connection(id).peerConnection.remoteDescription;"
                            + " return d && !d.sdp.includes('a=ice-ufrag:' + before + '\\r\\n'); }",
                    List.of(ben.id(), benUfragAtAna));
            ben.awaitTrue(
                    "([id, before]) => { const d = rv.connection(id).peerConnection.remoteDescription;"
                            + " return d && !d.sdp.includes('a=ice-ufrag:' + before + '\\r\\n'); }",
                    List.of(ana.id(), anaUfragAtBen));
            for (SdkPage page : new SdkPage[] {ana, ben}) {
                String other = page == ana ? ben.id() : ana.id();
                page.awaitTrue(
                        "id => ['connected', 'completed'].includes(rv.connection(id).peerConnection.iceConnectionState)",
                        other);
            }
            @SuppressWarnings("unchecked")
            List<String> anaStates = (List<String>) ana.eval("() => [...iceStates]");
            @SuppressWarnings("unchecked")
            List<String> benStates = (List<String>) ben.eval("() => [...iceStates]");
            assertThat(List.of(anaStates, benStates))
                    .as("ICE states after the cut (ana, ben)")
                    .anySatisfy(states -> assertThat(states).containsAnyOf("disconnected", "failed"));
            int restarts = ((Number) ana.eval("id => rv.connection(id).metrics.iceRestarts", ben.id())).intValue()
                    + ((Number) ben.eval("id => rv.connection(id).metrics.iceRestarts", ana.id())).intValue();
            assertThat(restarts).isPositive();
            System.out.printf("after the cut: ana %s, ben %s, %d ICE restart(s)%n", anaStates, benStates, restarts);
            assertThat(turnLine.pipes().size())
                    .as("new TURN allocations went through the proxy")
                    .isGreaterThan(linesBefore);
            assertThat(localCandidateType(ana, ben.id())).isEqualTo("relay");

            long frames = ben.framesDecodedFrom(ana.id());
            SdkPage.await().until(() -> ben.framesDecodedFrom(ana.id()) > frames + 10);
            assertThat(ana.send(ben.id(), "after the restart")).isEqualTo("sent");
            ben.awaitReceived(ana.id() + ": after the restart");
            assertThat(ben.send(ana.id(), "and back")).isEqualTo("sent");
            ana.awaitReceived(ben.id() + ": and back");
        }
    }

    /** A page that may only relay, through coturn reached over TCP through {@code turnLine}. */
    private static SdkPage open(TcpProxy turnLine, String user) {
        TurnCredential credential = e2e.turn().credential(user);
        Map<String, Object> iceServer = Map.of(
                "urls", "turn:127.0.0.1:" + turnLine.port() + "?transport=tcp",
                "username", credential.username(),
                "credential", credential.password());
        return SdkPage.open(e2e, Map.of("iceServers", List.of(iceServer), "relayOnly", true));
    }

    private static String remoteUfrag(SdkPage page, String peerId) {
        return (String) page.eval(
                "id => rv.connection(id).peerConnection.remoteDescription.sdp.match(/a=ice-ufrag:(\\S+)/)[1]", peerId);
    }

    /** The type of the local candidate of the selected pair ('relay' when it goes through TURN). */
    private static String localCandidateType(SdkPage page, String peerId) {
        return (String) page.eval("""
                async (id) => {
                  const stats = await rv.connection(id).peerConnection.getStats();
                  let pair = null;
                  stats.forEach((s) => { if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId); });
                  return pair ? stats.get(pair.localCandidateId)?.candidateType ?? null : null;
                }
                """, peerId);
    }
}
