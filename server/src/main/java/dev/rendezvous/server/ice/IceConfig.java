package dev.rendezvous.server.ice;

import dev.rendezvous.protocol.IceServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ICE servers handed to every client: the configured STUN URLs as they are, and the configured TURN
 * URLs with a credential minted for that client from the shared secret. Empty by default, so that
 * nothing a client does phones out to a server the operator did not name. Immutable and thread-safe.
 */
public final class IceConfig {

    /** Credentials last a day unless configured otherwise (coturn's own docs use 24 h as well). */
    public static final Duration DEFAULT_TURN_TTL = Duration.ofHours(24);

    private static final IceConfig NONE = new IceConfig(List.of(), List.of(), Optional.empty());

    private final List<String> stunUrls;
    private final List<String> turnUrls;
    private final Optional<TurnCredentialMinter> minter;

    private IceConfig(List<String> stunUrls, List<String> turnUrls, Optional<TurnCredentialMinter> minter) {
        this.stunUrls = List.copyOf(stunUrls);
        this.turnUrls = List.copyOf(turnUrls);
        this.minter = minter;
    }

    /** No ICE servers at all: clients only gather host candidates. */
    public static IceConfig none() {
        return NONE;
    }

    /**
     * Builds the configuration, or fails with a message naming what is wrong.
     *
     * @param urls STUN and TURN URLs, in the order clients should try them
     * @param turnSecret the secret shared with the TURN server; required when any URL is a TURN URL
     * @param turnTtl lifetime of each minted credential
     * @param clock time source for the credential expiry
     * @throws IllegalArgumentException naming the offending URL or setting
     */
    public static IceConfig of(List<String> urls, Optional<String> turnSecret, Duration turnTtl, Clock clock) {
        List<String> stun = new ArrayList<>();
        List<String> turn = new ArrayList<>();
        for (String url : urls) {
            IceUrl parsed = IceUrl.parse(url);
            (parsed.scheme().isTurn() ? turn : stun).add(url.strip());
        }
        Optional<String> secret = turnSecret.filter(s -> !s.isEmpty());
        if (!turn.isEmpty() && secret.isEmpty()) {
            throw new IllegalArgumentException("TURN URL " + turn.getFirst()
                    + " needs a TURN secret (the TURN server's static-auth-secret) to mint credentials");
        }
        Optional<TurnCredentialMinter> minter = secret.map(s -> new TurnCredentialMinter(s, turnTtl, clock));
        return new IceConfig(stun, turn, minter);
    }

    /** The {@code iceServers} list for {@code clientId}, with fresh TURN credentials; empty when none configured. */
    public List<IceServer> serversFor(String clientId) {
        return serversFor(clientId, null);
    }

    /** As {@link #serversFor(String)}, the TURN credentials expiring no later than {@code notAfter} (when not null). */
    public List<IceServer> serversFor(String clientId, java.time.Instant notAfter) {
        if (stunUrls.isEmpty() && turnUrls.isEmpty()) {
            return List.of();
        }
        List<IceServer> entries = new ArrayList<>(2);
        if (!stunUrls.isEmpty()) {
            entries.add(new IceServer(stunUrls, null, null));
        }
        if (!turnUrls.isEmpty()) {
            TurnCredential credential = minter.orElseThrow().mint(clientId, notAfter);
            entries.add(new IceServer(turnUrls, credential.username(), credential.password()));
        }
        return List.copyOf(entries);
    }

    public List<String> stunUrls() {
        return stunUrls;
    }

    public List<String> turnUrls() {
        return turnUrls;
    }

    public boolean isEmpty() {
        return stunUrls.isEmpty() && turnUrls.isEmpty();
    }

    /** This configuration as the server's ICE source: credentials bounded by each client's token. */
    public IceServerSource source() {
        return this::serversFor;
    }

    /** The minter, present when a TURN secret is configured. */
    public Optional<TurnCredentialMinter> minter() {
        return minter;
    }
}
