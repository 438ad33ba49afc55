/**
 * The admin view: an authenticated JSON API ({@code /admin/api/nodes}, {@code /admin/api/rooms},
 * {@code /admin/api/sessions}) and the live page at {@code /admin/} built on it. Off unless an admin
 * token is configured; every request then needs {@code Authorization: Bearer <token>} (compared in
 * constant time) and a same-origin or non-browser caller (no CORS headers, cross-origin requests refused).
 *
 * <p>Cluster-wide with a backplane: each node publishes its own view (node counters and sessions) through
 * {@link dev.rendezvous.server.hub.Hub#publishView} every heartbeat; the node answering a request merges its
 * own fresh view with the others' last published ones ({@link dev.rendezvous.server.hub.Hub#otherViews}).
 * Rooms are grouped from the merged sessions, so nodes, rooms and sessions always agree with each other.
 *
 * <p>Threading: endpoints run on an event loop and never block; each session's counters are read on its
 * own channel's event loop ({@code ServerInitializer.snapshot}) and the answer is completed from there.
 */
package dev.rendezvous.server.admin;
