package dev.rendezvous.server.ice;

import dev.rendezvous.protocol.IceServer;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code ice_servers} for a client whose admission lasts until {@code notAfter} (its token's
 * {@code exp}): minted TURN credentials then expire no later than the token. As a plain
 * {@code Function<String, List<IceServer>>} (what {@code ServerConfig.iceServers} takes) it has no bound.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface IceServerSource extends Function<String, List<IceServer>> {

    /** The list for {@code clientId}; {@code notAfter} null: no bound beyond the configured TTL. */
    List<IceServer> serversFor(String clientId, Instant notAfter);

    @Override
    default List<IceServer> apply(String clientId) {
        return serversFor(clientId, null);
    }

    /** {@code provider}'s list for {@code clientId}, bounded by {@code notAfter} when the provider can bound it. */
    static List<IceServer> serversFor(Function<String, List<IceServer>> provider, String clientId, Instant notAfter) {
        return provider instanceof IceServerSource bounded
                ? bounded.serversFor(clientId, notAfter)
                : provider.apply(clientId);
    }
}
