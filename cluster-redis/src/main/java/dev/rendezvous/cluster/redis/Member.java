package dev.rendezvous.cluster.redis;

/** A room member anywhere in the cluster: its id, its node, its display name (or null). */
record Member(String id, String node, String username) {}
