package dev.rendezvous.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Strict UTF-8 validation, and the scanner refusing frames that are not UTF-8 (found by fuzzing). */
class Utf8Test {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "7b7d",
                "c3a9",
                "e282ac",
                "f09f9880",
                "f48fbfbf",
                "41424344454647484950c3a9",
                "ed9fbf",
                "ee8080"
            })
    void acceptsWellFormedUtf8(String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        assertThat(Utf8.valid(b, b.length)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ff",
                "80",
                "c0af",
                "c1bf",
                "c3",
                "e282",
                "eda080",
                "edbfbf",
                "f4908080",
                "f5808080",
                "e08080",
                "f0808080",
                "4142434445464748ff",
                "c328"
            })
    void refusesMalformedUtf8(String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        assertThat(Utf8.valid(b, b.length)).isFalse();
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
