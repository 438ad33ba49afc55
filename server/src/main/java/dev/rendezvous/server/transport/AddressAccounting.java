package dev.rendezvous.server.transport;

import dev.rendezvous.server.hub.HubObserver;
import dev.rendezvous.server.logging.LogBudget;
import dev.rendezvous.server.net.AddressGate;
import dev.rendezvous.server.net.ClientAddress;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts each connection against its client address in the {@link AddressGate}, once, and releases it when
 * the channel closes. A direct client is counted at accept, before a byte is read, and a refused one is
 * closed there. A connection from a trusted proxy is counted at its first request, against the address in
 * {@code X-Forwarded-For} (a refusal is a 429 then), so the proxy itself is never capped; the later
 * requests of a kept-alive proxy connection stay counted against that first address. The log lines of a
 * session from a trusted proxy name the client of its own request ({@link ClientAddress#forLogs}), with
 * the limits on or off.
 *
 * <p>Thread-safe (the gate is); the per-channel mark is a channel attribute, set on its event loop.
 */
final class AddressAccounting {
    private static final Logger log = LoggerFactory.getLogger(AddressAccounting.class);
    /** The address this channel is counted against; absent: not counted (yet). */
    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf("rendezvous.counted-address");

    private final AddressGate gate;
    private final HubObserver observer;

    AddressAccounting(AddressGate gate, HubObserver observer) {
        this.gate = gate;
        this.observer = observer;
    }

    /** At accept: false when the direct client is over its limits (the caller closes the channel). */
    boolean accepted(Channel ch) {
        InetAddress peer = peer(ch);
        if (peer == null || gate.trustedProxy(peer) || !gate.limits().any()) {
            return true; // a proxy's connections count at their first request, against the forwarded address
        }
        return count(ch, peer);
    }

    /** At each request: false when a proxied client is over its limits (the caller answers 429 and closes). */
    boolean request(Channel ch, HttpHeaders headers) {
        InetAddress peer = peer(ch);
        if (peer == null || !gate.trustedProxy(peer)) {
            return true; // counted at accept
        }
        InetAddress client = ClientAddress.of(peer, headers.getAll("X-Forwarded-For"), gate);
        ClientAddress.forwarded(ch, client);
        if (!gate.limits().any() || ch.hasAttr(COUNTED) && ch.attr(COUNTED).get() != null) {
            return true;
        }
        return count(ch, client);
    }

    private boolean count(Channel ch, InetAddress client) {
        AddressGate.Verdict verdict = gate.open(client);
        if (verdict != AddressGate.Verdict.OPEN) {
            String reason = verdict.name().toLowerCase(Locale.ROOT);
            observer.connectionRefused(reason);
            if (LogBudget.CLIENTS.tryLine()) {
                log.info("refuse remote={} reason={} (per-address limit)", client.getHostAddress(), reason);
            }
            return false;
        }
        ch.attr(COUNTED).set(client);
        ch.closeFuture().addListener(f -> gate.close(client));
        return true;
    }

    private static InetAddress peer(Channel ch) {
        return ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    }
}
