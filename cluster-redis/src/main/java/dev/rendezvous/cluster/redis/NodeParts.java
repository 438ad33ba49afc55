package dev.rendezvous.cluster.redis;

import dev.rendezvous.server.hub.HubObserver;

/**
 * What every job of one node's {@link RedisHub} works with: the connection to Redis, the clients this
 * node holds, the observer its counts go to, and the node's id. Built once by the hub; each job takes it
 * apart once, as a {@link NodeJob}.
 *
 * @param node this node's id in the cluster
 */
record NodeParts(BackplaneConnection backplane, LocalClients clients, HubObserver observer, String node) {}
