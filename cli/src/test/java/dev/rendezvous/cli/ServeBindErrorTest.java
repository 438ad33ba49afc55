package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code rendezvous serve} that cannot listen says why in one sentence with the fix, no stack trace. */
class ServeBindErrorTest {

    private static Result serve(String... args) throws Exception {
        Process p = CliProcess.builder("serve", args).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                p.getInputStream().transferTo(out);
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("serve did not exit");
        }
        reader.join(5_000);
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    }

    record Result(int exit, String output) {}

    @Test
    void aPortInUseIsOneSentenceWithTheFix() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Result r = serve("--host", "127.0.0.1", "--port", String.valueOf(taken.getLocalPort()));

            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.output())
                    .contains("rendezvous serve: port " + taken.getLocalPort() + " is already in use on 127.0.0.1: "
                            + "stop the other server or use --port 0 (any free port)")
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void anAddressNotOnThisMachineIsOneSentenceWithTheFix() throws Exception {
        // 203.0.113.0/24 is reserved for documentation: binding it is refused locally, no packet is sent.
        Result r = serve("--host", "203.0.113.77", "--port", "0");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output())
                .contains("rendezvous serve: 203.0.113.77 is not an address of this machine: use --host 127.0.0.1")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }
}
