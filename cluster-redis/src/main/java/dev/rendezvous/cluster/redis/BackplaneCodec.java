package dev.rendezvous.cluster.redis;

import dev.rendezvous.cluster.redis.BackplaneMessage.Arrived;
import dev.rendezvous.cluster.redis.BackplaneMessage.Broadcast;
import dev.rendezvous.cluster.redis.BackplaneMessage.Direct;
import dev.rendezvous.cluster.redis.BackplaneMessage.Joined;
import dev.rendezvous.cluster.redis.BackplaneMessage.Left;
import dev.rendezvous.cluster.redis.BackplaneMessage.Paired;
import dev.rendezvous.cluster.redis.BackplaneMessage.Relay;
import dev.rendezvous.cluster.redis.BackplaneMessage.ResumeAccepted;
import dev.rendezvous.cluster.redis.BackplaneMessage.ResumeAsk;
import dev.rendezvous.cluster.redis.BackplaneMessage.ResumeRefused;
import dev.rendezvous.cluster.redis.BackplaneMessage.Resynced;
import dev.rendezvous.cluster.redis.BackplaneMessage.TakenOver;
import dev.rendezvous.cluster.redis.BackplaneMessage.TunnelBinary;
import dev.rendezvous.cluster.redis.BackplaneMessage.TunnelClose;
import dev.rendezvous.cluster.redis.BackplaneMessage.TunnelDown;
import dev.rendezvous.cluster.redis.BackplaneMessage.TunnelEnded;
import dev.rendezvous.cluster.redis.BackplaneMessage.TunnelText;
import dev.rendezvous.cluster.redis.BackplaneMessage.TunnelTooLarge;
import dev.rendezvous.cluster.redis.BackplaneMessage.Unpaired;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The backplane's wire format: the one definition of what goes over the channels, which the Lua scripts
 * ({@code common.lua}'s {@code msg_*} functions) write the same way; {@code BackplaneCodecTest} runs the
 * scripts on a real Redis and decodes what they publish.
 *
 * <p>A message is UTF-8 fields joined by {@code '|'}, its kind letter first. Ids, rooms, node ids and
 * tokens never hold a {@code '|'}; a field that may (a username, a relayed frame) comes last and runs to
 * the end. An absent room or username is the empty string.
 *
 * <pre>
 * J|seq|room|id|node|username        {@link Joined}     events channel (Lua)
 * L|seq|room|id|node|username        {@link Left}       events channel (Lua)
 * S|seq                              {@link Resynced}   events channel (Lua)
 * P|target|requester|node|token      {@link Paired}     the target's node channel (Lua)
 * U|target|from|token                {@link Unpaired}   the target's node channel (Lua)
 * R|target|from|room|frame           {@link Relay}      the target's node channel (Java)
 * B|room|from|frame                  {@link Broadcast}  each member node's channel (Java)
 * I|target|scope|frame               {@link Direct}     the target's node channel (Java, published by deliver.lua)
 * H|id|scope                         {@link Arrived}    each watching node's channel (Lua, arrive.lua)
 * T|id|scope                         {@link TakenOver}  the former holder's node channel (Lua, register.lua)
 * v1.1, resume through a tunnel ({@link ResumeTunnels}), all Java, each on the other end's node channel:
 * q|tunnel|clientNode|id|received|token  {@link ResumeAsk}       client's node → owner
 * k|tunnel|owner|replayed                {@link ResumeAccepted}  owner → client's node
 * n|tunnel|reason|sentence               {@link ResumeRefused}   owner → client's node
 * d|tunnel|frame                         {@link TunnelDown}      owner → client's node
 * c|tunnel|code|reason                   {@link TunnelClose}     owner → client's node
 * u|tunnel|frame                         {@link TunnelText}      client's node → owner
 * v|tunnel|                              {@link TunnelBinary}    client's node → owner
 * w|tunnel|limit                         {@link TunnelTooLarge}  client's node → owner
 * e|tunnel|1 or 0 (detachable)           {@link TunnelEnded}     client's node → owner
 * </pre>
 *
 * The values the scripts store use the same separator: {@code id:<id>} = {@code node|room},
 * {@code pair:<id>} = {@code peer|token} ({@link #pairValue}), a room hash field = {@code node|username}
 * ({@link #member}).
 */
final class BackplaneCodec {
    private static final char SEP = '|';

    private BackplaneCodec() {}

    /** The bytes of {@code message}; a relayed frame is copied (the caller keeps its buffer). */
    static byte[] encode(BackplaneMessage message) {
        return switch (message) {
            case Joined j -> text("J", Long.toString(j.seq()), j.room(), j.id(), j.node(), nullToEmpty(j.username()));
            case Left l -> text("L", Long.toString(l.seq()), l.room(), l.id(), l.node(), nullToEmpty(l.username()));
            case Resynced s -> text("S", Long.toString(s.seq()));
            case Paired p -> text("P", p.target(), p.requester(), p.requesterNode(), p.token());
            case Unpaired u -> text("U", u.target(), u.from(), u.token());
            case Relay r -> withFrame(text("R", r.target(), r.from(), nullToEmpty(r.room()), ""), r.frame());
            case Broadcast b -> withFrame(text("B", b.room(), b.from(), ""), b.frame());
            case Direct d -> withFrame(text("I", d.target(), d.scope(), ""), d.frame());
            case Arrived a -> text("H", a.id(), a.scope());
            case TakenOver t -> text("T", t.id(), t.scope());
            case ResumeAsk q -> text("q", q.tunnel(), q.clientNode(), q.id(), Long.toString(q.received()), q.token());
            case ResumeAccepted k -> text("k", k.tunnel(), k.owner(), Integer.toString(k.replayed()));
            case ResumeRefused n -> text("n", n.tunnel(), n.reason(), n.sentence());
            case TunnelDown d -> withFrame(text("d", d.tunnel(), ""), d.frame());
            case TunnelClose c -> text("c", c.tunnel(), Integer.toString(c.code()), c.reason());
            case TunnelText u -> withFrame(text("u", u.tunnel(), ""), u.frame());
            case TunnelBinary v -> text("v", v.tunnel(), "");
            case TunnelTooLarge w -> text("w", w.tunnel(), Integer.toString(w.limit()));
            case TunnelEnded e -> text("e", e.tunnel(), e.detachable() ? "1" : "0");
        };
    }

    /**
     * The message in {@code bytes}; a relayed frame is a view of them (no copy).
     *
     * @throws IllegalArgumentException when the bytes are no backplane message
     */
    static BackplaneMessage decode(byte[] bytes) {
        if (bytes.length < 2 || bytes[1] != SEP) {
            throw new IllegalArgumentException("malformed backplane message");
        }
        Fields f = new Fields(bytes);
        return switch ((char) bytes[0]) {
            case 'J' -> new Joined(f.number(), f.next(), f.next(), f.next(), emptyToNull(f.rest()));
            case 'L' -> new Left(f.number(), f.next(), f.next(), f.next(), emptyToNull(f.rest()));
            case 'S' -> new Resynced(Long.parseLong(f.rest()));
            case 'P' -> new Paired(f.next(), f.next(), f.next(), f.rest());
            case 'U' -> new Unpaired(f.next(), f.next(), f.rest());
            case 'R' -> new Relay(f.next(), f.next(), emptyToNull(f.next()), f.restAsFrame());
            case 'B' -> new Broadcast(f.next(), f.next(), f.restAsFrame());
            case 'I' -> new Direct(f.next(), f.next(), f.restAsFrame());
            case 'H' -> new Arrived(f.next(), f.rest());
            case 'T' -> new TakenOver(f.next(), f.rest());
            case 'q' -> new ResumeAsk(f.next(), f.next(), f.next(), f.number(), f.rest());
            case 'k' -> new ResumeAccepted(f.next(), f.next(), Integer.parseInt(f.rest()));
            case 'n' -> new ResumeRefused(f.next(), f.next(), f.rest());
            case 'd' -> new TunnelDown(f.next(), f.restAsFrame());
            case 'c' -> new TunnelClose(f.next(), Integer.parseInt(f.next()), f.rest());
            case 'u' -> new TunnelText(f.next(), f.restAsFrame());
            case 'v' -> new TunnelBinary(f.nextAndRest());
            case 'w' -> new TunnelTooLarge(f.next(), Integer.parseInt(f.rest()));
            case 'e' -> new TunnelEnded(f.next(), "1".equals(f.rest()));
            default -> throw new IllegalArgumentException("unknown backplane message kind " + (char) bytes[0]);
        };
    }

    /** A {@code pair:<id>} value: the peer and the token of this very pairing. */
    static String pairValue(String peerId, String token) {
        return peerId + SEP + token;
    }

    /** A room hash field's value ({@code node|username}) as a member. */
    static Member member(String id, String value) {
        int bar = value.indexOf(SEP);
        if (bar < 0) {
            throw new IllegalArgumentException("malformed room member " + value);
        }
        return new Member(id, value.substring(0, bar), emptyToNull(value.substring(bar + 1)));
    }

    /** A script's multi-bulk reply as strings (anything else: empty). */
    static List<String> strings(Object reply) {
        List<String> out = new ArrayList<>();
        if (reply instanceof List<?> list) {
            for (Object o : list) {
                out.add(string(o));
            }
        }
        return out;
    }

    /** A script's bulk reply as a string. */
    static String string(Object reply) {
        return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    /** A script's integer reply, or -1. */
    static long number(Object reply) {
        return reply instanceof Long l ? l : -1;
    }

    static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static byte[] text(String... fields) {
        return String.join(String.valueOf(SEP), fields).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] withFrame(byte[] head, ByteBuf frame) {
        byte[] out = new byte[head.length + frame.readableBytes()];
        System.arraycopy(head, 0, out, 0, head.length);
        frame.getBytes(frame.readerIndex(), out, head.length, frame.readableBytes());
        return out;
    }

    /** Reads the fields after the kind letter, in order. */
    private static final class Fields {
        private final byte[] bytes;
        private int at = 2;

        Fields(byte[] bytes) {
            this.bytes = bytes;
        }

        String next() {
            int end = at;
            while (end < bytes.length && bytes[end] != SEP) {
                end++;
            }
            if (end == bytes.length) {
                throw new IllegalArgumentException("malformed backplane message: too few fields");
            }
            String out = new String(bytes, at, end - at, StandardCharsets.UTF_8);
            at = end + 1;
            return out;
        }

        /** The next field, the rest (empty) ignored. */
        String nextAndRest() {
            String out = next();
            at = bytes.length;
            return out;
        }

        long number() {
            return Long.parseLong(next());
        }

        String rest() {
            String out = new String(bytes, at, bytes.length - at, StandardCharsets.UTF_8);
            at = bytes.length;
            return out;
        }

        ByteBuf restAsFrame() {
            ByteBuf out = Unpooled.wrappedBuffer(bytes, at, bytes.length - at);
            at = bytes.length;
            return out;
        }
    }
}
