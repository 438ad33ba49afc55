package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rendezvous.protocol.Message;
import dev.rendezvous.server.ServerConfig;
import dev.rendezvous.server.SignalingServer;
import dev.rendezvous.testing.WsRecorder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code rendezvous status} and {@code rendezvous rooms} against a real server on 127.0.0.1: output and exit codes. */
class AdminCommandsTest {
    private static final String TOKEN = "cli-admin-token-0123456789abcdef";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private SignalingServer server;

    @BeforeEach
    void start() throws Exception {
        server = SignalingServer.start(ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .adminToken(TOKEN)
                .build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int run(String... args) {
        CommandLine cli = Main.configure(new CommandLine(new Main()));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private String address() {
        return "127.0.0.1:" + server.port();
    }

    @Test
    void statusPrintsTheCountsAndTheNode() {
        try (WsRecorder a =
                WsRecorder.connect(server.roomUri("standup").resolve("/ws/standup?client_id=alice&username=Alice"))) {
            a.next(Message.YourId.class);
            assertThat(run("status", address(), "--admin-token", TOKEN)).isEqualTo(0);
        }
        assertThat(out.toString())
                .startsWith("1 node · 1 connection · 1 session · 1 room (1 in rooms)\n")
                .contains("local")
                .contains("http://127.0.0.1:" + server.port() + "/");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void statusListsPeerJsClients() {
        try (WsRecorder a = WsRecorder.connect(
                server.roomUri("x").resolve("/peerjs?key=peerjs&id=pj-alice&token=t&version=1.5.5"))) {
            assertThat(a.nextText()).isEqualTo("{\"type\":\"OPEN\"}");
            assertThat(run("status", address(), "--admin-token", TOKEN)).isEqualTo(0);
        }
        assertThat(out.toString())
                .startsWith("1 node · 1 connection · 1 session (1 PeerJS) · 0 rooms (0 in rooms)\n")
                .containsPattern("PROTOCOL +PEERJS ID +NODE +CONNECTED +REMOTE\n")
                .containsPattern("peerjs +pj-alice +local +\\d{4}-.+Z +127\\.0\\.0\\.1:\\d+\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void roomsListsEveryRoomWithItsMembers() throws Exception {
        try (WsRecorder a =
                        WsRecorder.connect(server.lobbyUri().resolve("/ws/standup?client_id=alice&username=Alice"));
                WsRecorder b = WsRecorder.connect(server.lobbyUri().resolve("/ws/standup?client_id=bob"))) {
            a.next(Message.YourId.class);
            b.next(Message.YourId.class);
            a.await(Message.UserJoined.class);
            assertThat(run("rooms", "http://" + address(), "--admin-token", TOKEN))
                    .isEqualTo(0);
            assertThat(out.toString()).isEqualTo("""
                    standup (2 members)
                      alice                    Alice                @local
                      bob                      -                    @local
                    """);
            out.getBuffer().setLength(0);
            assertThat(run("rooms", "ws://" + address() + "/ws", "--admin-token", TOKEN, "--json"))
                    .isEqualTo(0);
            JsonNode json = new ObjectMapper().readTree(out.toString());
            assertThat(json.get("rooms").get(0).get("members").get(1).get("id").asText())
                    .isEqualTo("bob");
        }
    }

    @Test
    void noRoomsIsSaidSo() {
        assertThat(run("rooms", address(), "--admin-token", TOKEN)).isEqualTo(0);
        assertThat(out.toString()).isEqualTo("no rooms\n");
    }

    @Test
    void aWrongTokenIsOneSentenceAndExit1() {
        assertThat(run("status", address(), "--admin-token", TOKEN + "-wrong")).isEqualTo(1);
        assertThat(err.toString())
                .isEqualTo("rendezvous: the server refused the admin token: pass the one it was started"
                        + " with (--admin-token or RENDEZVOUS_ADMIN_TOKEN)\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aServerWithoutTheAdminApiSaysHowToTurnItOn() throws Exception {
        try (SignalingServer plain = SignalingServer.start(
                ServerConfig.builder().host("127.0.0.1").port(0).build())) {
            assertThat(run("rooms", "127.0.0.1:" + plain.port(), "--admin-token", TOKEN))
                    .isEqualTo(1);
        }
        assertThat(err.toString())
                .startsWith("rendezvous: the admin API is off: start the server with --admin-token <secret>")
                .doesNotContain("Exception");
    }

    @Test
    void noTokenIsAUsageErrorAndAStoppedServerIsOneSentence() throws Exception {
        assertThat(run("status", address())).isEqualTo(2);
        assertThat(err.toString())
                .contains("no admin token: pass --admin-token <secret> or set RENDEZVOUS_ADMIN_TOKEN");
        err.getBuffer().setLength(0);
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        assertThat(run("status", "127.0.0.1:" + closed, "--admin-token", TOKEN)).isEqualTo(1);
        assertThat(err.toString())
                .isEqualTo("rendezvous: could not connect to http://127.0.0.1:" + closed
                        + ": is the server running there?\n");
    }
}
