package dev.rendezvous.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Where {@code rendezvous chat} reads lines and prints what happens. Two kinds:
 * <ul>
 *   <li>{@link Interactive} (stdin and stdout are a terminal): JLine; received messages and status lines
 *       print above the prompt without disturbing what is being typed;</li>
 *   <li>{@link Plain} (scripts, pipes): lines from stdin; each received message is one line on stdout,
 *       nothing else goes there; status lines go to stderr, prefixed {@code "* "}.</li>
 * </ul>
 * {@link #message} and {@link #status} are safe from any thread.
 */
sealed interface ChatConsole extends AutoCloseable permits ChatConsole.Interactive, ChatConsole.Plain {

    /** The next line typed, or null at end of input (Ctrl-D, EOF) or on Ctrl-C. */
    String readLine();

    /** A chat message from {@code from}. */
    void message(String from, String text);

    /** A status line (pairing, connection state, errors). */
    void status(String line);

    @Override
    void close();

    /** A terminal console when stdin and stdout are a terminal (and {@code plain} is false), else plain. */
    static ChatConsole open(boolean plain) {
        if (!plain) {
            try {
                Terminal terminal =
                        TerminalBuilder.builder().system(true).dumb(true).build();
                if (!Terminal.TYPE_DUMB.equals(terminal.getType())
                        && !Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
                    return new Interactive(terminal);
                }
                terminal.close();
            } catch (IOException | RuntimeException noTerminal) {
                // Fall back to plain lines.
            }
        }
        return new Plain(System.in, System.out, System.err);
    }

    /** Message text on one line: line breaks inside a message are shown as the two characters {@code \n}. */
    static String oneLine(String text) {
        return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n");
    }

    final class Interactive implements ChatConsole {
        private final Terminal terminal;
        private final LineReader reader;

        Interactive(Terminal terminal) {
            this.terminal = terminal;
            this.reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("rendezvous chat")
                    .build();
        }

        @Override
        public String readLine() {
            try {
                return reader.readLine("> ");
            } catch (UserInterruptException | EndOfFileException end) {
                return null;
            }
        }

        @Override
        public void message(String from, String text) {
            reader.printAbove(from + "> " + oneLine(text));
        }

        @Override
        public void status(String line) {
            reader.printAbove("* " + line);
        }

        /** Restores the terminal, then closes fd 1 so libwebrtc's exit noise does not land after the prompt. */
        @Override
        public void close() {
            try {
                terminal.close();
            } catch (IOException ignored) {
                // Exiting anyway.
            }
            System.out.close();
        }
    }

    final class Plain implements ChatConsole {
        private final BufferedReader in;
        private final PrintStream out;
        private final PrintStream err;

        Plain(java.io.InputStream in, PrintStream out, PrintStream err) {
            this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            this.out = new PrintStream(out, true, StandardCharsets.UTF_8);
            this.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        }

        @Override
        public String readLine() {
            try {
                return in.readLine();
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        public void message(String from, String text) {
            out.println(oneLine(text));
        }

        @Override
        public void status(String line) {
            err.println("* " + line);
        }

        /**
         * Closes stdout itself (file descriptor 1): libwebrtc's native threads print "VM attach current
         * thread failed" to fd 1 while the JVM exits, which would break the one-line-per-message contract.
         */
        @Override
        public void close() {
            err.flush();
            out.close();
        }
    }
}
