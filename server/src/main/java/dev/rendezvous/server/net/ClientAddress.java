package dev.rendezvous.server.net;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The client's address behind trusted proxies: {@code X-Forwarded-For} read from the right (each proxy
 * appends the address it received the connection from), skipping every trusted proxy; the first address
 * that is not one is the client. Any client can write the header, so only the entries the trusted proxies
 * appended are believed: everything left of the first untrusted entry is ignored. Without the header, or
 * with an entry that is not an IP literal, the answer is the last address believed (at worst the proxy's
 * own).
 *
 * <p>The log lines of a connection name this address too ({@link #forLogs}): the transport records it on the
 * channel at each request from a trusted proxy ({@link #forwarded}), on the channel's event loop.
 */
public final class ClientAddress {
    /** The client behind the trusted proxy a channel comes from, as its latest request named it. */
    private static final AttributeKey<Forwarded> FORWARDED = AttributeKey.valueOf("rendezvous.forwarded-client");

    private ClientAddress() {}

    /**
     * What the log lines of {@code ch} name as its remote end: the client behind a trusted proxy (with the
     * proxy, {@code 203.0.113.7 via=10.0.0.5:41234}) once {@link #forwarded} recorded it, else the TCP peer.
     * Formatted only when a line is written.
     */
    public static Object forLogs(Channel ch) {
        Forwarded f = ch.hasAttr(FORWARDED) ? ch.attr(FORWARDED).get() : null;
        return f != null ? f : ch.remoteAddress();
    }

    /** Records {@code client}, the address {@link #of} found behind the trusted proxy {@code ch} is from. */
    public static void forwarded(Channel ch, InetAddress client) {
        ch.attr(FORWARDED).set(new Forwarded(client, ch.remoteAddress()));
    }

    /** A client behind a proxy, as a log line names it. */
    record Forwarded(InetAddress client, SocketAddress proxy) {
        @Override
        public String toString() {
            String via = proxy instanceof InetSocketAddress a && a.getAddress() != null
                    ? a.getAddress().getHostAddress() + ":" + a.getPort()
                    : String.valueOf(proxy);
            return client.getHostAddress() + " via=" + via;
        }
    }

    /**
     * @param peer the TCP peer (a trusted proxy, or the answer is {@code peer} itself)
     * @param forwardedFor the {@code X-Forwarded-For} header values, in order (several headers are one list)
     */
    public static InetAddress of(InetAddress peer, List<String> forwardedFor, AddressGate gate) {
        InetAddress client = peer;
        if (!gate.trustedProxy(peer)) {
            return peer;
        }
        String joined = String.join(",", forwardedFor);
        String[] hops = joined.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            InetAddress hop = literal(hops[i].strip());
            if (hop == null) {
                return client; // garbage: believe no further
            }
            client = hop;
            if (!gate.trustedProxy(hop)) {
                return hop;
            }
        }
        return client;
    }

    /** An IP literal, {@code [v6]} or with a {@code :port} on IPv4; null for anything else (never resolved). */
    static InetAddress literal(String text) {
        String t = text;
        if (t.startsWith("[")) {
            int end = t.indexOf(']');
            t = end < 0 ? t : t.substring(1, end);
        } else if (t.indexOf(':') > 0 && t.indexOf(':') == t.lastIndexOf(':')) {
            t = t.substring(0, t.indexOf(':')); // 192.0.2.1:4711
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(t);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
