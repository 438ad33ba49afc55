package dev.rendezvous.cluster.redis;

import dev.rendezvous.server.hub.HubObserver;

/**
 * One job of a node's {@link RedisHub} (cluster pairs, relay, direct delivery, room replicas, liveness),
 * holding the {@link NodeParts} every job works with, taken apart once here.
 */
abstract class NodeJob {
    /** The connection to Redis and the backplane loop. */
    final BackplaneConnection backplane;
    /** The clients this node holds. */
    final LocalClients clients;
    /** Where this node's counts go. */
    final HubObserver observer;
    /** This node's id in the cluster. */
    final String node;

    NodeJob(NodeParts parts) {
        this.backplane = parts.backplane();
        this.clients = parts.clients();
        this.observer = parts.observer();
        this.node = parts.node();
    }
}
