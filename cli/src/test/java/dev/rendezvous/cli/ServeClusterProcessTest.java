package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.protocol.Message;
import dev.rendezvous.testing.WsRecorder;
import dev.rendezvous.testing.redis.RedisServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code rendezvous serve --redis} as real processes: two nodes on one real Redis are one system
 * (a client of one pairs with a client of the other), {@code /healthz} names each node and its
 * backplane, a node killed with SIGKILL is announced to its clients' peers, {@code status} and
 * {@code rooms} against either node show both nodes (with the admin token; without it, nothing), and a
 * node that cannot reach Redis refuses to start.
 */
class ServeClusterProcessTest {
    private static final Pattern LISTENING = Pattern.compile("Rendezvous listening on ws://127\\.0\\.0\\.1:(\\d+)/ .*");

    private final RedisServer redis = RedisServer.start();
    private final List<Process> processes = new ArrayList<>();
    private final List<WsRecorder> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(WsRecorder::close);
        processes.forEach(Process::destroyForcibly);
        redis.stop();
    }

    private Process serve(Map<String, String> env, String... args) throws Exception {
        List<String> portAndArgs = new ArrayList<>(List.of("--port", "0"));
        portAndArgs.addAll(List.of(args));
        ProcessBuilder pb = CliProcess.builder("serve", portAndArgs.toArray(String[]::new));
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private static int port(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("the listening line").isNotNull();
        Matcher m = LISTENING.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private WsRecorder admitted(int port, String pathAndQuery) {
        WsRecorder c = WsRecorder.connect(URI.create("ws://127.0.0.1:" + port + pathAndQuery));
        clients.add(c);
        c.rememberId(c.next(Message.YourId.class).id());
        return c;
    }

    private static String health(int port) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @Test
    void twoServeProcessesOnRedisAreOneSystem() throws Exception {
        Process a =
                serve(Map.of("RENDEZVOUS_REDIS", redis.uri(), "RENDEZVOUS_NODE_ID", "node-a"), "--node-ttl-ms", "1500");
        Process b = serve(Map.of(), "--redis", redis.uri(), "--node-id", "node-b", "--node-ttl-ms", "1500");
        int portA = port(a);
        int portB = port(b);
        assertThat(health(portA)).contains("\"backplane\":{\"kind\":\"redis\",\"state\":\"up\",\"node\":\"node-a\"}");
        assertThat(health(portB)).contains("\"node\":\"node-b\"");

        WsRecorder alice = admitted(portA, "/ws?client_id=alice");
        WsRecorder bob = admitted(portB, "/ws?client_id=bob");
        alice.send(new Message.PairRequest("bob"));
        assertThat(bob.next(Message.Paired.class).peerId()).isEqualTo("alice");
        alice.next(Message.Paired.class);
        alice.sendText("{\"type\":\"offer\",\"sdp\":\"v=0\"}");
        assertThat(bob.nextText()).isEqualTo("{\"type\":\"offer\",\"sdp\":\"v=0\",\"from\":\"alice\"}");

        b.destroyForcibly(); // kill -9
        assertThat(b.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(alice.await(Message.PeerDisconnected.class).peerId()).isEqualTo("bob");
    }

    /** Runs {@code rendezvous status|rooms} in-process; returns the exit status, out and err in {@code into}. */
    private static int admin(StringBuilder into, String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = Main.configure(new picocli.CommandLine(new Main()));
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        int exit = cli.execute(args);
        into.append(out).append(err);
        return exit;
    }

    @Test
    void statusAndRoomsSeeTheWholeClusterWithTheTokenAndNothingWithout() throws Exception {
        String token = "cluster-admin-token-0123456789ab";
        Process a = serve(
                Map.of("RENDEZVOUS_ADMIN_TOKEN", token),
                "--redis",
                redis.uri(),
                "--node-id",
                "node-a",
                "--node-ttl-ms",
                "1500");
        Process b = serve(
                Map.of(),
                "--redis",
                redis.uri(),
                "--node-id",
                "node-b",
                "--node-ttl-ms",
                "1500",
                "--admin-token",
                token);
        int portA = port(a);
        int portB = port(b);
        WsRecorder alice = admitted(portA, "/ws/standup?client_id=alice&username=Alice");
        admitted(portB, "/ws/standup?client_id=bob");
        alice.await(Message.UserJoined.class);

        for (int port : List.of(portA, portB)) {
            String server = "127.0.0.1:" + port;
            // Each node publishes its sessions on its heartbeat: the other node's show up within one.
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(15))
                    .untilAsserted(() -> {
                        StringBuilder status = new StringBuilder();
                        assertThat(admin(status, "status", server, "--admin-token", token))
                                .as(status.toString())
                                .isZero();
                        assertThat(status.toString())
                                .startsWith("2 nodes · 2 connections · 2 sessions · 1 room (2 in rooms)\n")
                                .contains("node-a")
                                .contains("node-b");
                        StringBuilder rooms = new StringBuilder();
                        assertThat(admin(rooms, "rooms", server, "--admin-token", token))
                                .isZero();
                        assertThat(rooms.toString()).isEqualTo("""
                        standup (2 members)
                          alice                    Alice                @node-a
                          bob                      -                    @node-b
                        """);
                    });

            StringBuilder none = new StringBuilder();
            assertThat(admin(none, "status", server, "--admin-token", "")).isEqualTo(2);
            assertThat(none.toString()).startsWith("rendezvous: no admin token: pass --admin-token <secret>");
            StringBuilder wrong = new StringBuilder();
            assertThat(admin(wrong, "rooms", server, "--admin-token", token + "-wrong"))
                    .isEqualTo(1);
            assertThat(wrong.toString())
                    .isEqualTo("rendezvous: the server refused the admin token: pass the one it was"
                            + " started with (--admin-token or RENDEZVOUS_ADMIN_TOKEN)\n");
            HttpResponse<String> bare = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://" + server + "/admin/api/sessions"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(bare.statusCode()).as("the admin API without a token").isEqualTo(401);
        }
    }

    @Test
    void aNodeThatCannotReachRedisRefusesToStart() throws Exception {
        String uri = redis.uri();
        redis.stop();
        Process p = serve(Map.of(), "--redis", uri);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
    }
}
