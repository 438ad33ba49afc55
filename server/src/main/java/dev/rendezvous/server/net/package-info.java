/**
 * Per-client-address accounting of connections: the connection cap and the connection rate
 * ({@link dev.rendezvous.server.net.AddressGate}), the client address behind a trusted proxy
 * ({@link dev.rendezvous.server.net.ClientAddress}), and address ranges
 * ({@link dev.rendezvous.server.net.AddressRange}).
 *
 * <p>Threading: {@code AddressGate} is shared by every event loop and thread-safe (each address's entry is
 * changed atomically inside its map slot); {@code ClientAddress} keeps its one piece of state, the forwarded
 * address, on the channel, set on the channel's event loop; the other types are immutable.
 */
package dev.rendezvous.server.net;
