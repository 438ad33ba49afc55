package dev.rendezvous.server.admin;

/**
 * This node as the admin view shows it.
 *
 * @param id the node's id in the cluster ({@code local} without one)
 * @param address the address it serves on ({@code http://host:port/})
 * @param startedMillis when it started (epoch millis)
 * @param connections open WebSocket connections
 */
public record NodeInfo(String id, String address, long startedMillis, int connections) {}
