package dev.rendezvous.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * What {@code send} and {@code receive} print, in one of three forms: on a terminal a progress bar with
 * rate and ETA redrawn in place on stderr; piped, plain status lines on stderr ({@code * } prefix, progress
 * every 10 %); with {@code --json}, one JSON object per line on stdout ({@code code}, {@code status},
 * {@code started}, {@code progress} at most 4 a second, {@code done}, {@code failed}) for scripts.
 *
 * <p>Thread-safe: progress comes from the sending thread or the peer's event thread.
 */
final class TransferOutput {
    enum Mode {
        TERMINAL,
        PLAIN,
        JSON
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final long JSON_PROGRESS_NANOS = 250_000_000L;

    private final Mode mode;
    private final PrintStream out;
    private final PrintStream err;
    private final LongSupplier clock;
    private String current;
    private long startedAt;
    private long startBytes;
    private long lastDraw;
    private int lastTenth = -1;
    private boolean barShown;

    TransferOutput(Mode mode, PrintStream out, PrintStream err, LongSupplier clock) {
        this.mode = mode;
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    static TransferOutput forConsole(boolean json, boolean plain) {
        Mode mode = json ? Mode.JSON : !plain && System.console() != null ? Mode.TERMINAL : Mode.PLAIN;
        return new TransferOutput(mode, System.out, System.err, System::nanoTime);
    }

    synchronized void code(String code, String command) {
        switch (mode) {
            case JSON -> emit(event("code").put("code", code).put("command", command));
            case TERMINAL, PLAIN -> {
                endBar();
                err.println("* code: " + code);
                err.println("* on the other side run:");
                err.println("    " + command);
                err.flush();
            }
        }
    }

    synchronized void status(String text) {
        switch (mode) {
            case JSON -> emit(event("status").put("message", text));
            case TERMINAL, PLAIN -> {
                endBar();
                err.println("* " + text);
                err.flush();
            }
        }
    }

    synchronized void started(String name, long size, long offset) {
        current = name;
        startedAt = clock.getAsLong();
        startBytes = offset;
        lastDraw = 0;
        lastTenth = -1;
        switch (mode) {
            case JSON ->
                emit(event("started").put("name", name).put("size", size).put("offset", offset));
            case TERMINAL, PLAIN ->
                status(name + " (" + bytes(size) + ")" + (offset > 0 ? ": resuming at " + bytes(offset) : ""));
        }
    }

    synchronized void progress(String name, long done, long size) {
        long now = clock.getAsLong();
        switch (mode) {
            case JSON -> {
                if (now - lastDraw >= JSON_PROGRESS_NANOS || done == size) {
                    lastDraw = now;
                    emit(event("progress")
                            .put("name", name)
                            .put("bytes", done)
                            .put("size", size)
                            .put("bytes_per_second", (long) rate(done, now)));
                }
            }
            case TERMINAL -> {
                if (now - lastDraw >= REDRAW_NANOS || done == size) {
                    lastDraw = now;
                    err.print("\r" + bar(name, done, size, now) + "\u001b[K");
                    err.flush();
                    barShown = true;
                }
            }
            case PLAIN -> {
                int tenth = size == 0 ? 10 : (int) (done * 10 / size);
                if (tenth > lastTenth) {
                    lastTenth = tenth;
                    err.println("* " + name + ": " + (tenth * 10) + "% (" + bytes(done) + " of " + bytes(size) + ", "
                            + bytes((long) rate(done, now)) + "/s)");
                    err.flush();
                }
            }
        }
    }

    synchronized void done(String name, long size, String sha256, String path) {
        long now = clock.getAsLong();
        switch (mode) {
            case JSON -> {
                ObjectNode e = event("done")
                        .put("name", name)
                        .put("size", size)
                        .put("sha256", sha256)
                        .put("seconds", (now - startedAt) / 1e9)
                        .put("bytes_per_second", (long) rate(size, now));
                if (path != null) {
                    e.put("path", path);
                }
                emit(e);
            }
            case TERMINAL, PLAIN ->
                status(name + ": done, " + bytes(size) + " in "
                        + String.format(Locale.ROOT, "%.1f", (now - startedAt) / 1e9) + " s ("
                        + bytes((long) rate(size, now)) + "/s), SHA-256 " + sha256 + " verified"
                        + (path != null ? ", saved as " + path : ""));
        }
    }

    synchronized void failed(String name, String reason) {
        switch (mode) {
            case JSON -> {
                ObjectNode e = event("failed").put("reason", reason);
                if (name != null) {
                    e.put("name", name);
                }
                emit(e);
            }
            case TERMINAL, PLAIN -> status((name != null ? name + ": " : "") + "failed: " + reason);
        }
    }

    private double rate(long done, long now) {
        double seconds = (now - startedAt) / 1e9;
        return seconds <= 0 ? 0 : (done - startBytes) / seconds;
    }

    private String bar(String name, long done, long size, long now) {
        int width = 30;
        int filled = size == 0 ? width : (int) (done * width / size);
        double rate = rate(done, now);
        String eta = rate <= 0 ? "--:--" : clock((long) ((size - done) / rate));
        return String.format(
                Locale.ROOT,
                "%s [%s%s] %3d%% %s/s ETA %s",
                shorten(name),
                "#".repeat(filled),
                ".".repeat(width - filled),
                size == 0 ? 100 : done * 100 / size,
                bytes((long) rate),
                eta);
    }

    private void endBar() {
        if (barShown) {
            err.println();
            barShown = false;
        }
    }

    private static String shorten(String name) {
        return name.length() <= 24 ? name : name.substring(0, 21) + "...";
    }

    private static String clock(long seconds) {
        return seconds >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int unit = -1;
        while (v >= 1024 && unit < units.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[unit]);
    }

    private static ObjectNode event(String type) {
        return JSON.createObjectNode().put("event", type);
    }

    private void emit(ObjectNode node) {
        out.println(node.toString());
        out.flush();
    }
}
