package dev.rendezvous.cluster.redis;

/** A lobby peer anywhere in the cluster: its id, its node, and the token of this very pairing (to tell stale notices apart). */
record ClusterPeer(String id, String node, String token) {

    /** The {@code pair:} value the scripts store for the other side of this pairing. */
    String value() {
        return BackplaneCodec.pairValue(id, token);
    }
}
