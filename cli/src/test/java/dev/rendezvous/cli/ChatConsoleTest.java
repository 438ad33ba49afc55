package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;

/** The chat consoles on in-memory streams: a JLine terminal of our own, and plain pipes. */
class ChatConsoleTest {

    @Test
    void incomingLinesPrintAboveThePromptAndKeepWhatIsBeingTyped() throws Exception {
        PipedOutputStream keys = new PipedOutputStream();
        PipedInputStream keyboard = new PipedInputStream(keys);
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        try (Terminal terminal = TerminalBuilder.builder()
                .system(false)
                .streams(keyboard, screen)
                .type("xterm")
                .size(new Size(80, 24))
                .encoding(StandardCharsets.UTF_8)
                .build()) {
            ChatConsole.Interactive console = new ChatConsole.Interactive(terminal);
            CompletableFuture<String> typed = CompletableFuture.supplyAsync(console::readLine);

            keys.write("hel".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> screen.toString(StandardCharsets.UTF_8).contains("> hel"));
            int before = screen.size();

            console.message("bob", "hi there 👋");
            console.status("bob: channel open");
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                String after = screen.toString(StandardCharsets.UTF_8).substring(before);
                // The lines appear, then the prompt is redrawn with the half-typed input.
                return after.contains("bob> hi there 👋")
                        && after.contains("* bob: channel open")
                        && after.lastIndexOf("> hel") > after.indexOf("* bob: channel open");
            });

            keys.write("lo\r".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            assertThat(typed.get(10, TimeUnit.SECONDS)).isEqualTo("hello");
        }
    }

    @Test
    void plainModeWritesOneStdoutLinePerMessageAndStatusToStderr() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ChatConsole.Plain console = new ChatConsole.Plain(
                new java.io.ByteArrayInputStream("first\nsecond ✓\n".getBytes(StandardCharsets.UTF_8)),
                new java.io.PrintStream(out),
                new java.io.PrintStream(err));
        assertThat(console.readLine()).isEqualTo("first");
        assertThat(console.readLine()).isEqualTo("second ✓");
        assertThat(console.readLine()).isNull();
        console.message("bob", "two\nlines");
        console.status("paired with bob");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("two\\nlines" + System.lineSeparator());
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("* paired with bob" + System.lineSeparator());
    }
}
