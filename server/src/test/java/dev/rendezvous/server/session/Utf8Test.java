package dev.rendezvous.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Strict UTF-8 validation, and the scanner refusing frames that are not UTF-8 (found by fuzzing). */
class Utf8Test {

    /** Each byte sequence with whether it is well-formed UTF-8 (RFC 3629: no overlongs, surrogates or > U+10FFFF). */
    @ParameterizedTest(name = "{0} well-formed: {1}")
    @CsvSource({
        "'', true",
        "7b7d, true",
        "c3a9, true",
        "e282ac, true",
        "f09f9880, true",
        "f48fbfbf, true",
        "41424344454647484950c3a9, true",
        "ed9fbf, true",
        "ee8080, true",
        "ff, false",
        "80, false",
        "c0af, false",
        "c1bf, false",
        "c3, false",
        "e282, false",
        "eda080, false",
        "edbfbf, false",
        "f4908080, false",
        "f5808080, false",
        "e08080, false",
        "f0808080, false",
        "4142434445464748ff, false",
        "c328, false"
    })
    void acceptsWellFormedUtf8AndRefusesTheRest(String hex, boolean wellFormed) {
        byte[] b = HexFormat.of().parseHex(hex);
        assertThat(Utf8.valid(b, b.length)).isEqualTo(wellFormed);
    }

    /** Jazzer's first finding: Jackson accepted a 0xFF inside a field name, so the frame would have been relayed. */
    @org.junit.jupiter.api.Test
    void theScannerRefusesInvalidUtf8EvenWhereJacksonDoesNotLook() {
        byte[] name = "{\"type\":\"offer\",\"toke\u0000n\":\"t\"}".getBytes(StandardCharsets.UTF_8);
        name[20] = (byte) 0xFF;
        FrameScanner scanner = new FrameScanner();
        Inbound.Invalid invalid = (Inbound.Invalid) scanner.scan(name, name.length);
        assertThat(invalid.code()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(invalid.reason()).contains("UTF-8");
    }
}
