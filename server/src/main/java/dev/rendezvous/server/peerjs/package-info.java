/**
 * The PeerJS server protocol, as peerjs-server 1.0.x speaks it to the {@code peerjs} 1.5.x browser
 * client, so an unmodified PeerJS app can use this server: {@code GET {path}{key}/id},
 * {@code GET {path}{key}/peers}, {@code GET {path}{key}/ice-servers} (ours) and the WebSocket at
 * {@code {path}peerjs?key=&id=&token=}. PeerJS ids live in the hub's one id directory beside v1 ids
 * (registered under a scope no v1 room can name), so the two kinds of client never collide.
 *
 * <p>Shape: {@link dev.rendezvous.server.peerjs.PeerJsEndpoint} routes HTTP and upgrades;
 * {@link dev.rendezvous.server.peerjs.PeerJsSocketHandler} is one WebSocket's Netty end;
 * {@link dev.rendezvous.server.peerjs.PeerJsRealm} holds the PeerJS clients, the queues of messages for
 * ids not connected yet, and the relay. A client message is read in one pass over its bytes
 * ({@link dev.rendezvous.server.peerjs.PeerJsScanner}, the v1 relay's grammar) and the relayed frame spliced
 * from them ({@link dev.rendezvous.server.peerjs.PeerJsScanner#writeRelayed}), as the v1 relay does: no tree,
 * the payload byte for byte. Each event-loop thread has its own scanner.
 *
 * <p>Threading: a {@code PeerJsSocketHandler} is confined to its channel's event loop. The realm is
 * shared by every loop: its maps are concurrent, each {@link dev.rendezvous.server.peerjs.OfflineQueue}
 * is guarded by its own monitor (held only to add or drain, never while writing), and a
 * {@link dev.rendezvous.server.peerjs.PeerClient}'s current socket is an atomic reference (swapped by a
 * same-token takeover, cleared once by the departure).
 * Writes to another client's channel go through its {@code Outbound} (any thread, in order). Token checks
 * (a JWKS may be fetched) run on virtual threads, never on an event loop. A cluster hub completes deliveries
 * and watches on its own threads, and tells arrivals on its backplane loop: the realm's maps and queues are
 * safe for that. Nothing here blocks.
 */
package dev.rendezvous.server.peerjs;
