package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.assertj.core.api.AbstractStringAssert;
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

    /** Runs the doctor, which must find a failed check (exit status 1); returns its output to check further. */
    private AbstractStringAssert<?> failingDoctor(String... args) {
        assertThat(doctor(args)).as(out.toString()).isEqualTo(1);
        return assertThat(out.toString());
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void stoppedServerFailsWithConnectionRefusedAndExitsNonZero() throws Exception {
        int port = closedPort();

        failingDoctor("http://127.0.0.1:" + port, "--timeout", "2s")
                .contains("✗ HTTP reachable")
                .contains("connection refused at 127.0.0.1:" + port + ": is `rendezvous serve` running there?")
                .contains("✗ WebSocket admission")
                .contains("not run: the server is not reachable over HTTP")
                .doesNotContain("must not run")
                .doesNotContain("✓");
    }

    @Test
    void jsonOutputCarriesTheSameVerdict() throws Exception {
        failingDoctor("http://127.0.0.1:" + closedPort(), "--json", "--timeout", "2s");

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

        failingDoctor("127.0.0.1:" + port, "--timeout", "2s")
                .contains("rendezvous doctor http://127.0.0.1:" + port)
                .contains("connection refused at 127.0.0.1:" + port);
    }
}
