package dev.rendezvous.cli.stun;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The few STUN (RFC 5389) and TURN (RFC 5766) message pieces the probe needs: encoding a request with
 * MESSAGE-INTEGRITY and FINGERPRINT, and decoding a response's attributes. Not a general STUN stack.
 */
final class StunMessage {

    static final int MAGIC_COOKIE = 0x2112A442;
    static final int HEADER_LENGTH = 20;

    // Message types: method | class bits (RFC 5389 §6).
    static final int BINDING_REQUEST = 0x0001;
    static final int BINDING_SUCCESS = 0x0101;
    static final int ALLOCATE_REQUEST = 0x0003;
    static final int ALLOCATE_SUCCESS = 0x0103;
    static final int REFRESH_REQUEST = 0x0004;
    static final int ERROR_CLASS_BITS = 0x0110;

    // Attribute types.
    static final int MAPPED_ADDRESS = 0x0001;
    static final int USERNAME = 0x0006;
    static final int MESSAGE_INTEGRITY = 0x0008;
    static final int ERROR_CODE = 0x0009;
    static final int LIFETIME = 0x000D;
    static final int REALM = 0x0014;
    static final int NONCE = 0x0015;
    static final int XOR_RELAYED_ADDRESS = 0x0016;
    static final int REQUESTED_TRANSPORT = 0x0019;
    static final int XOR_MAPPED_ADDRESS = 0x0020;
    static final int FINGERPRINT = 0x8028;

    static final int PROTOCOL_UDP = 17;
    private static final int FINGERPRINT_XOR = 0x5354554E;
    private static final SecureRandom RANDOM = new SecureRandom();

    final int type;
    final byte[] transactionId;
    /** Attribute values by type, first occurrence wins (RFC 5389 §15). */
    final Map<Integer, byte[]> attributes;

    private StunMessage(int type, byte[] transactionId, Map<Integer, byte[]> attributes) {
        this.type = type;
        this.transactionId = transactionId;
        this.attributes = attributes;
    }

    static byte[] newTransactionId() {
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        return id;
    }

    /** Builds a request; attributes are appended in call order. */
    static final class Builder {
        private final int type;
        private final byte[] transactionId;
        private final ByteArrayOutputStream attributes = new ByteArrayOutputStream();

        Builder(int type, byte[] transactionId) {
            this.type = type;
            this.transactionId = transactionId.clone();
        }

        Builder add(int attributeType, byte[] value) {
            writeAttribute(attributes, attributeType, value);
            return this;
        }

        Builder add(int attributeType, String value) {
            return add(attributeType, value.getBytes(StandardCharsets.UTF_8));
        }

        Builder addInt(int attributeType, int value) {
            return add(attributeType, ByteBuffer.allocate(4).putInt(value).array());
        }

        /**
         * Encodes the message; with a {@code integrityKey} it appends MESSAGE-INTEGRITY (HMAC-SHA1 over
         * everything before it, the header length already counting it), then always FINGERPRINT.
         */
        byte[] build(byte[] integrityKey) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] body = attributes.toByteArray();
            if (integrityKey != null) {
                byte[] withHeader = concat(header(type, body.length + 24, transactionId), body);
                byte[] hmac = hmacSha1(integrityKey, withHeader);
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                b.writeBytes(body);
                writeAttribute(b, MESSAGE_INTEGRITY, hmac);
                body = b.toByteArray();
            }
            byte[] beforeFingerprint = concat(header(type, body.length + 8, transactionId), body);
            CRC32 crc = new CRC32();
            crc.update(beforeFingerprint);
            out.writeBytes(beforeFingerprint);
            writeAttribute(
                    out,
                    FINGERPRINT,
                    ByteBuffer.allocate(4)
                            .putInt((int) crc.getValue() ^ FINGERPRINT_XOR)
                            .array());
            return out.toByteArray();
        }
    }

    /** Decodes one whole message, or throws {@link IllegalArgumentException} saying why it is not one. */
    static StunMessage decode(byte[] data, int length) {
        if (length < HEADER_LENGTH) {
            throw new IllegalArgumentException("answer of " + length + " bytes is shorter than a STUN header");
        }
        ByteBuffer buf = ByteBuffer.wrap(data, 0, length);
        int type = buf.getShort() & 0xFFFF;
        int bodyLength = buf.getShort() & 0xFFFF;
        int cookie = buf.getInt();
        if ((type & 0xC000) != 0 || cookie != MAGIC_COOKIE) {
            throw new IllegalArgumentException("answer is not a STUN message (no magic cookie)");
        }
        if (bodyLength + HEADER_LENGTH > length) {
            throw new IllegalArgumentException("STUN answer is truncated");
        }
        byte[] transactionId = new byte[12];
        buf.get(transactionId);
        Map<Integer, byte[]> attributes = new LinkedHashMap<>();
        int end = HEADER_LENGTH + bodyLength;
        while (buf.position() + 4 <= end) {
            int attributeType = buf.getShort() & 0xFFFF;
            int attributeLength = buf.getShort() & 0xFFFF;
            if (buf.position() + attributeLength > end) {
                throw new IllegalArgumentException(
                        "STUN attribute 0x" + Integer.toHexString(attributeType) + " overruns the message");
            }
            byte[] value = new byte[attributeLength];
            buf.get(value);
            attributes.putIfAbsent(attributeType, value);
            buf.position(Math.min(end, buf.position() + ((4 - attributeLength % 4) % 4)));
        }
        return new StunMessage(type, transactionId, attributes);
    }

    /** Length of the whole message whose header starts {@code header} (for stream framing). */
    static int totalLength(byte[] header) {
        return HEADER_LENGTH + (((header[2] & 0xFF) << 8) | (header[3] & 0xFF));
    }

    boolean isError() {
        return (type & ERROR_CLASS_BITS) == ERROR_CLASS_BITS;
    }

    boolean answers(byte[] requestTransactionId) {
        return Arrays.equals(transactionId, requestTransactionId);
    }

    Optional<String> string(int attributeType) {
        return Optional.ofNullable(attributes.get(attributeType)).map(v -> new String(v, StandardCharsets.UTF_8));
    }

    Optional<byte[]> raw(int attributeType) {
        return Optional.ofNullable(attributes.get(attributeType));
    }

    /** The ERROR-CODE attribute as (code, reason phrase); code 0 when absent. */
    int errorCode() {
        byte[] v = attributes.get(ERROR_CODE);
        return v == null || v.length < 4 ? 0 : (v[2] & 0x07) * 100 + (v[3] & 0xFF);
    }

    String errorReason() {
        byte[] v = attributes.get(ERROR_CODE);
        return v == null || v.length < 4 ? "" : new String(v, 4, v.length - 4, StandardCharsets.UTF_8).strip();
    }

    /** An XOR-MAPPED-ADDRESS / XOR-RELAYED-ADDRESS value (RFC 5389 §15.2). */
    Optional<InetSocketAddress> xorAddress(int attributeType) {
        byte[] v = attributes.get(attributeType);
        if (v == null || v.length < 8) {
            return Optional.empty();
        }
        int port = (((v[2] & 0xFF) << 8) | (v[3] & 0xFF)) ^ (MAGIC_COOKIE >>> 16);
        byte[] mask =
                ByteBuffer.allocate(16).putInt(MAGIC_COOKIE).put(transactionId).array();
        int addressLength = v[1] == 0x01 ? 4 : 16;
        if (v.length < 4 + addressLength) {
            return Optional.empty();
        }
        byte[] address = new byte[addressLength];
        for (int i = 0; i < addressLength; i++) {
            address[i] = (byte) (v[4 + i] ^ mask[i]);
        }
        try {
            return Optional.of(new InetSocketAddress(InetAddress.getByAddress(address), port));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The long-term credential key: MD5(username ":" realm ":" password) (RFC 5389 §15.4). */
    static byte[] longTermKey(String username, String realm, String password) {
        try {
            return MessageDigest.getInstance("MD5")
                    .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }

    private static byte[] header(int type, int bodyLength, byte[] transactionId) {
        return ByteBuffer.allocate(HEADER_LENGTH)
                .putShort((short) type)
                .putShort((short) bodyLength)
                .putInt(MAGIC_COOKIE)
                .put(transactionId)
                .array();
    }

    private static void writeAttribute(ByteArrayOutputStream out, int type, byte[] value) {
        out.write(type >>> 8);
        out.write(type);
        out.write(value.length >>> 8);
        out.write(value.length);
        out.writeBytes(value);
        for (int pad = (4 - value.length % 4) % 4; pad > 0; pad--) {
            out.write(0);
        }
    }

    private static byte[] hmacSha1(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from this JVM", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
