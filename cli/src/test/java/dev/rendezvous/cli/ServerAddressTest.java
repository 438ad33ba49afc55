package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every way a person writes the server's address names the same lobby and HTTP base. */
class ServerAddressTest {

    @ParameterizedTest
    @CsvSource({
        "ws://127.0.0.1:8765/ws,       ws://127.0.0.1:8765/ws,     http://127.0.0.1:8765",
        "ws://127.0.0.1:8765,          ws://127.0.0.1:8765/ws,     http://127.0.0.1:8765",
        "http://127.0.0.1:8765,        ws://127.0.0.1:8765/ws,     http://127.0.0.1:8765",
        "http://127.0.0.1:8765/,       ws://127.0.0.1:8765/ws,     http://127.0.0.1:8765",
        "127.0.0.1:18801,              ws://127.0.0.1:18801/ws,    http://127.0.0.1:18801",
        "localhost,                    ws://localhost:8765/ws,     http://localhost:8765",
        "https://signal.example.com,   wss://signal.example.com:443/ws, https://signal.example.com:443",
        "wss://signal.example.com/rdv/ws, wss://signal.example.com:443/rdv/ws, https://signal.example.com:443",
        "[::1]:9000,                   ws://[::1]:9000/ws,         http://[::1]:9000",
        "HTTP://127.0.0.1:1,           ws://127.0.0.1:1/ws,        http://127.0.0.1:1",
    })
    void everyFormNamesTheSameServer(String typed, String lobby, String http) {
        ServerAddress a = ServerAddress.parse(typed);
        assertThat(a.lobby()).hasToString(lobby);
        assertThat(a.http()).hasToString(http);
    }

    @Test
    void anotherSchemeIsRefusedWithTheFormsThatWork() {
        assertThatThrownBy(() -> ServerAddress.parse("ftp://127.0.0.1:1"))
                .hasMessage(
                        "unsupported scheme \"ftp\" in ftp://127.0.0.1:1: use ws://, wss://, http://, https:// or host:port");
    }

    @Test
    void nonsenseIsRefusedInOneSentence() {
        assertThatThrownBy(() -> ServerAddress.parse("not a host"))
                .hasMessage(
                        "\"not a host\" is not a server address: use ws://host:port/ws, http://host:port or host:port");
        assertThatThrownBy(() -> ServerAddress.parse("")).hasMessageContaining("is not a server address");
    }
}
