package dev.rendezvous.cluster.redis;

/**
 * Redis cannot be reached, so a decision that needs the whole cluster (an id, a pairing) cannot be
 * made now; the connection answers {@code cluster_unavailable}.
 */
public final class ClusterUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClusterUnavailableException(String message) {
        super(message);
    }
}
