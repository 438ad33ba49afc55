package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Against a port where nothing listens, the doctor says so on the first line and exits non-zero. */
class DoctorStoppedServerTest {

    private final StringWriter out = new StringWriter();

    private int doctor(String... args) {
        CommandLine cli = Main.configure(new CommandLine(new DoctorCommand((ws, token, timeout) ->
                DoctorCheck.fail("peers pair and open a data channel", "must not run", Duration.ZERO))));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        return cli.execute(args);
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void stoppedServerFailsWithConnectionRefusedAndExitsNonZero() throws Exception {
        int port = closedPort();

        int exit = doctor("http://127.0.0.1:" + port, "--timeout", "2s");

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString())
                .contains("✗ HTTP reachable")
                .contains("connection refused at 127.0.0.1:" + port + ": is `rendezvous serve` running there?")
                .contains("✗ WebSocket admission")
                .contains("not run: the server is not reachable over HTTP")
                .doesNotContain("must not run")
                .doesNotContain("✓");
    }

    @Test
    void jsonOutputCarriesTheSameVerdict() throws Exception {
        int port = closedPort();

        int exit = doctor("http://127.0.0.1:" + port, "--json", "--timeout", "2s");

        assertThat(exit).isEqualTo(1);
        JsonNode root = new ObjectMapper().readTree(out.toString());
        assertThat(root.path("ok").asBoolean(true)).isFalse();
        assertThat(root.path("checks").get(0).path("name").asText()).isEqualTo("HTTP reachable");
        assertThat(root.path("checks").get(0).path("ok").asBoolean(true)).isFalse();
        assertThat(root.path("checks").get(0).path("detail").asText()).contains("connection refused");
    }

    @Test
    void malformedUrlIsAUsageErrorInOneSentence() {
        assertThat(doctor("ftp://127.0.0.1:1")).isEqualTo(2);
        assertThat(out.toString())
                .contains("doctor: Invalid value for positional parameter")
                .contains(
                        "unsupported scheme \"ftp\" in ftp://127.0.0.1:1: use ws://, wss://, http://, https:// or host:port")
                .contains("Run `doctor --help` for every option.")
                .doesNotContain("Exception")
                .doesNotContain("Usage:");
    }

    @Test
    void aBareHostAndPortIsTheServerToo() throws Exception {
        int port = closedPort();

        int exit = doctor("127.0.0.1:" + port, "--timeout", "2s");

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString())
                .contains("rendezvous doctor http://127.0.0.1:" + port)
                .contains("connection refused at 127.0.0.1:" + port);
    }
}
