/**
 * One client connection's protocol logic, independent of Netty. The transport feeds a
 * {@link dev.rendezvous.server.session.Connection} with frames and timer wake-ups;
 * {@link dev.rendezvous.server.session.FrameScanner} reads each text frame into a sealed
 * {@link dev.rendezvous.server.session.Inbound} kind, and the connection dispatches it with an exhaustive
 * switch to one handler per concern: admission (with or without auth), relay (spliced by
 * {@link dev.rendezvous.server.session.FrameSplicer}, stamped with the sender), pairing, rooms, keepalive,
 * behind the rate limit. Time is a parameter, so the logic is tested without sockets or sleeps.
 *
 * <p>Threading: a {@code Connection} is confined to its channel's event loop (every {@code on…} call
 * comes from there), and so are its handlers, which keep no state of their own beyond it.
 * {@link dev.rendezvous.server.session.FrameScanner} instances are per thread. Resume on another node of a
 * cluster (v1.1): a {@link dev.rendezvous.server.session.ClientTunnel} forwards a connection to the node
 * holding its session (its state is atomic: the owner's answer comes on the backplane's thread), and
 * there an {@code OwnerTunnel} is that connection's transport, its {@code Connection} confined to one event
 * loop like a socket's.
 */
package dev.rendezvous.server.session;
