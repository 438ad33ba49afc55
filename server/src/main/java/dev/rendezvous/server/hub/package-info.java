/**
 * The hub: who is connected (the id directory), who is paired with whom, who is in which room, and
 * delivery of frames to a client id. {@link dev.rendezvous.server.hub.Hub} is the seam where a cluster
 * backplane slots in — state and routing only; {@link dev.rendezvous.server.hub.LocalHub} is the
 * in-process implementation (the Redis one is {@code dev.rendezvous.cluster.redis.RedisHub}, module
 * {@code cluster-redis}, which completes {@code register}, {@code join} and {@code pair} once Redis has
 * answered). What every hub shares lives here once: {@link dev.rendezvous.server.hub.Session} (what
 * every hub needs of a client; each hub attaches its own entry), {@link dev.rendezvous.server.hub.Pairing}
 * (pairing's checks, refusals and results), {@link dev.rendezvous.server.hub.Notices} (the frames a
 * hub decision produces) and {@link dev.rendezvous.server.hub.Refusal} (a "no" the session's owner
 * turns into an error, and a close when the session cannot go on: no hub closes a link).
 *
 * <p>Threading: every method may be called from any event loop at once. There is no global lock:
 * the directory and room table are concurrent maps; a pairing change holds the monitors of the two
 * sessions' entries involved (taken in id order); a presence change holds its room's monitor. Frames
 * that describe a state change (paired, peer_disconnected, users_in_room, user_joined, user_left) are
 * handed to the transport while that monitor is held, so every client sees changes in the order the
 * hub made them. {@link dev.rendezvous.server.hub.Link#send} never blocks, so holding a monitor across
 * it is cheap. A departure (peer_disconnected, user_left) is announced before it is made visible
 * (for pairings, {@link dev.rendezvous.server.hub.Pairing#end}), because the told client's own thread reads
 * pairings and rooms without a lock and refuses at once (not_paired, target_not_found) what it no longer
 * finds: the notice is then queued ahead of that refusal, whichever thread decided the departure.
 */
package dev.rendezvous.server.hub;
