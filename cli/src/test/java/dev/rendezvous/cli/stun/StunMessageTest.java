package dev.rendezvous.cli.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class StunMessageTest {

    @Test
    void requestCarriesCookieTransactionIdAndAValidFingerprint() {
        byte[] id = HexFormat.of().parseHex("b7e7a701bc34d686fa87dfae");

        byte[] message = new StunMessage.Builder(StunMessage.BINDING_REQUEST, id).build(null);

        ByteBuffer buf = ByteBuffer.wrap(message);
        assertThat(buf.getShort()).isEqualTo((short) 0x0001);
        assertThat(buf.getShort() & 0xFFFF).isEqualTo(message.length - 20).isEqualTo(8);
        assertThat(buf.getInt()).isEqualTo(StunMessage.MAGIC_COOKIE);
        CRC32 crc = new CRC32();
        crc.update(message, 0, message.length - 8);
        assertThat(ByteBuffer.wrap(message, message.length - 4, 4).getInt())
                .isEqualTo((int) crc.getValue() ^ 0x5354554E);
    }

    @Test
    void messageIntegrityLengthCountsItselfButNotTheFingerprint() throws Exception {
        byte[] id = new byte[12];
        byte[] key = StunMessage.longTermKey("user", "realm", "pass");

        byte[] message = new StunMessage.Builder(StunMessage.ALLOCATE_REQUEST, id)
                .add(StunMessage.USERNAME, "user")
                .build(key);

        // USERNAME (4+4) + MESSAGE-INTEGRITY (4+20) precede the fingerprint (4+4).
        int miOffset = 20 + 8;
        assertThat(ByteBuffer.wrap(message, miOffset, 2).getShort()).isEqualTo((short) StunMessage.MESSAGE_INTEGRITY);
        byte[] signed = java.util.Arrays.copyOf(message, miOffset);
        ByteBuffer.wrap(signed).putShort(2, (short) (8 + 24));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA1"));
        assertThat(java.util.Arrays.copyOfRange(message, miOffset + 4, miOffset + 24))
                .isEqualTo(mac.doFinal(signed));
    }

    @Test
    void decodesXorMappedAddressOfRfc5769SampleResponse() {
        // RFC 5769 §2.2 sample IPv4 response: XOR-MAPPED-ADDRESS 192.0.2.1:32853.
        byte[] response = HexFormat.of()
                .parseHex("0101003c2112a442b7e7a701bc34d686fa87dfae"
                        + "8022000b7465737420766563746f7220"
                        + "002000080001a147e112a643"
                        + "000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7"
                        + "80280004c07d4c96");

        StunMessage decoded = StunMessage.decode(response, response.length);

        assertThat(decoded.type).isEqualTo(StunMessage.BINDING_SUCCESS);
        assertThat(decoded.xorAddress(StunMessage.XOR_MAPPED_ADDRESS)).hasValueSatisfying(a -> {
            assertThat(a.getAddress().getHostAddress()).isEqualTo("192.0.2.1");
            assertThat(a.getPort()).isEqualTo(32853);
        });
    }

    @Test
    void longTermKeyIsMd5OfUserRealmPassword() {
        // Reference: echo -n user:realm:pass | md5sum
        assertThat(HexFormat.of().formatHex(StunMessage.longTermKey("user", "realm", "pass")))
                .isEqualTo("8493fbc53ba582fb4c044c456bdc40eb");
    }
}
