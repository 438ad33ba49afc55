package dev.rendezvous.client.signaling;

/**
 * A remote ICE candidate as relayed.
 *
 * @param candidate the {@code candidate:…} line
 * @param sdpMid the media id, empty when the sender gave none (libwebrtc then goes by the index)
 * @param sdpMLineIndex the m-line index, 0 when the sender gave none
 */
public record RemoteCandidate(String candidate, String sdpMid, int sdpMLineIndex) {}
