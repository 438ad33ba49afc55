package dev.rendezvous.server.session;

import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.MessageType;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one inbound text frame is, as {@link FrameScanner} read it: one record per kind of frame, carrying
 * only the fields that kind has, never null. {@link Connection} dispatches on it with an exhaustive
 * {@code switch} — a new kind does not compile until every phase handles it.
 *
 * <p>The relay path allocates nothing here: {@link Relay}, {@link Ping}, {@link Pong} and {@link Unpair}
 * are shared constants, and {@link RelayTo} is a per-scanner flyweight (see there why).
 */
sealed interface Inbound {

    /** Not a protocol message: not JSON, not one object, or no string {@code type} (error code says which). */
    record Invalid(ErrorCode code, String reason) implements Inbound {
        public Invalid {
            Objects.requireNonNull(code);
            Objects.requireNonNull(reason);
        }
    }

    /** A {@code type} a client may not send: unknown to protocol v1, or one only the server sends. */
    record Unknown(String type) implements Inbound {
        public Unknown {
            Objects.requireNonNull(type);
        }
    }

    /** A type clients send, with a field of the wrong JSON type or form; {@code reason} names the field. */
    record Malformed(MessageType type, String reason) implements Inbound {
        public Malformed {
            Objects.requireNonNull(type);
            Objects.requireNonNull(reason);
        }
    }

    /** {@code auth_token}; {@code clientId}, when present, is already a valid name ({@link Connection#NAME}). */
    record AuthToken(String token, Optional<String> clientId) implements Inbound {
        public AuthToken {
            Objects.requireNonNull(token);
            Objects.requireNonNull(clientId);
        }
    }

    /** An SDP/ICE message without {@code to}: for the paired peer (lobby) or every other member (room). */
    record Relay(MessageType type) implements Inbound {
        private static final Map<MessageType, Relay> OF_TYPE = new EnumMap<>(MessageType.class);

        static {
            for (MessageType t : MessageType.values()) {
                if (t.relayed()) {
                    OF_TYPE.put(t, new Relay(t));
                }
            }
        }

        public Relay {
            if (!type.relayed()) {
                throw new IllegalArgumentException(type + " is not relayed");
            }
        }

        /** The shared instance for {@code type} (a relayed type): the hot path allocates no record. */
        static Relay of(MessageType type) {
            return OF_TYPE.get(type);
        }
    }

    /**
     * An SDP/ICE message addressed with {@code to}. Not a record but a flyweight view of its scanner's
     * last scan: each scanner has one per relayed type, and {@link #to()} reads the scanner's {@code to},
     * so an addressed relay allocates and stores nothing here. Valid until that scanner's next scan (like
     * the frame's bytes it describes). A record here was not scalar-replaced — it is made inside the scan,
     * too large to inline into the dispatch — and cost 24 more bytes per addressed relayed frame
     * ({@code ConnectionRelayBench.addressed -prof gc}: 124 → 148 B/op; docs/benchmarks-history.md).
     */
    final class RelayTo implements Inbound {
        private final MessageType type;
        private final FrameScanner scan;

        RelayTo(MessageType type, FrameScanner scan) {
            if (!type.relayed()) {
                throw new IllegalArgumentException(type + " is not relayed");
            }
            this.type = type;
            this.scan = scan;
        }

        MessageType type() {
            return type;
        }

        /** The {@code to} of the last scan (a string: this kind is only answered when it is one). */
        String to() {
            return scan.to();
        }

        @Override
        public String toString() {
            return "RelayTo[type=" + type + ", to=" + to() + "]";
        }
    }

    /** {@code pair_request} (lobby). */
    record PairRequest(String targetId) implements Inbound {
        public PairRequest {
            Objects.requireNonNull(targetId);
        }
    }

    /** {@code unpair} (lobby); never acknowledged. */
    record Unpair() implements Inbound {
        static final Unpair INSTANCE = new Unpair();
    }

    /** An application-level {@code ping}: answered with {@code pong}. */
    record Ping() implements Inbound {
        static final Ping INSTANCE = new Ping();
    }

    /** An application-level {@code pong}: liveness only. */
    record Pong() implements Inbound {
        static final Pong INSTANCE = new Pong();
    }

    /** The {@code ref} of an error about this frame: its type name, or null when it has none. */
    static String ref(Inbound frame) {
        return switch (frame) {
            case Invalid i -> null;
            case Unknown u -> u.type();
            case Malformed m -> m.type().wireName();
            case AuthToken a -> MessageType.AUTH_TOKEN.wireName();
            case Relay r -> r.type().wireName();
            case RelayTo r -> r.type().wireName();
            case PairRequest p -> MessageType.PAIR_REQUEST.wireName();
            case Unpair u -> MessageType.UNPAIR.wireName();
            case Ping p -> MessageType.PING.wireName();
            case Pong p -> MessageType.PONG.wireName();
        };
    }
}
