/**
 * The Rendezvous Java SDK façade: {@link dev.rendezvous.client.Peer} joins a lobby (1:1 pairing) or a
 * room (full mesh) through a signaling server and talks over WebRTC data channels: text and binary
 * messages on a {@code chat} channel, and further channels per peer as asked. Its listener speaks
 * Rendezvous's own types only (no webrtc-java type appears in the API).
 *
 * <p>Threading rule: each peer has one event thread. Its sessions and channels are confined to it;
 * signaling frames and every webrtc-java callback are handed to it, and
 * {@link dev.rendezvous.client.PeerListener} and channel listener methods run there, one at a time.
 * Public methods are safe from any thread.
 */
package dev.rendezvous.client;
