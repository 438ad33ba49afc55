package dev.rendezvous.client.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeFileNameTest {
    @ParameterizedTest
    @ValueSource(strings = {"a", "report.pdf", "Grüße – 日本語.txt", ".hidden", "a b c.tar.gz", "CONSOLE.txt", "x.part"})
    void acceptsPlainNames(String name) {
        assertThat(SafeFileName.problem(name)).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                ".",
                "..",
                "../x",
                "..\\x",
                "/etc/passwd",
                "a/b",
                "C:\\x",
                "c:x",
                "CON",
                "nul.txt",
                "Com1",
                "LPT9.log",
                "aux",
                "tab\tname",
                "new\nline",
                "bell\u0007",
                "del\u007f",
                "trailing.",
                "trailing ",
                "q?",
                "star*",
                "pipe|"
            })
    void refusesPathTricks(String name) {
        assertThat(SafeFileName.problem(name)).isNotNull();
    }

    @org.junit.jupiter.api.Test
    void refusesNamesLongerThan255Bytes() {
        assertThat(SafeFileName.problem("a".repeat(255))).isNull();
        assertThat(SafeFileName.problem("a".repeat(256))).contains("longer");
        assertThat(SafeFileName.problem("é".repeat(128))).contains("longer"); // 256 bytes in UTF-8
    }
}
