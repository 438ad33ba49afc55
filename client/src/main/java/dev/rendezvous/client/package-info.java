/**
 * The Rendezvous Java SDK façade: {@link dev.rendezvous.client.Peer} joins a lobby (1:1 pairing) or a
 * room (full mesh) through a signaling server and chats over WebRTC data channels.
 *
 * <p>Threading rule: a peer's state (its sessions) is confined to its own single-threaded event
 * executor; signaling and session events are handed to it, and {@link dev.rendezvous.client.PeerListener}
 * methods run there, one at a time. Public methods are safe from any thread.
 */
package dev.rendezvous.client;
