package dev.rendezvous.client.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Flushes a part file to disk while the transfer goes on, every {@value #EVERY_BYTES} bytes written, so that
 * the flush at the end covers only the last stretch. The kernel keeps written pages in memory for up to
 * 30 s (or until a tenth of RAM is dirty), so without it the final {@code force} wrote a whole 1 GiB file
 * while the transfer stood still: 0.39–0.51 s here, 3 % of the transfer (docs/benchmarks-history.md,
 * "Fourth pass").
 *
 * <p>One flush at a time per file, on a daemon thread shared by every transfer of the JVM (a flush blocks
 * only that thread; writes to the file go on meanwhile). Called from the owning peer's event thread only.
 */
final class BackgroundSync {
    static final long EVERY_BYTES = 64L << 20;

    private static final Executor FLUSHER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rendezvous-file-flush");
        t.setDaemon(true);
        return t;
    });

    private final FileChannel file;
    private final long every;
    private long flushedUpTo;
    private CompletableFuture<Void> running = CompletableFuture.completedFuture(null);

    /** For {@code file}, of which the first {@code already} bytes were there before (a resume). */
    BackgroundSync(FileChannel file, long already) {
        this(file, already, EVERY_BYTES);
    }

    /** As above, flushing every {@code every} bytes (tests use small stretches). */
    BackgroundSync(FileChannel file, long already, long every) {
        this.file = file;
        this.every = every;
        this.flushedUpTo = already;
    }

    /** {@code written} bytes of the file are written: starts a flush if a stretch is due and none runs. */
    void written(long written) {
        if (written - flushedUpTo >= every && running.isDone()) {
            flushedUpTo = written;
            running = CompletableFuture.runAsync(this::flush, FLUSHER);
        }
    }

    /**
     * Waits for the running flush, then flushes the rest: the file's bytes are on disk when it returns.
     *
     * @throws IOException the final flush failed (a background one that failed is tried again by it)
     */
    void finish() throws IOException {
        try {
            running.get();
        } catch (ExecutionException e) {
            // The final force below covers the same bytes and reports the failure if it persists.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while flushing", e);
        }
        file.force(false);
    }

    private void flush() {
        try {
            file.force(false);
        } catch (IOException e) {
            // Closed meanwhile (the transfer failed) or a disk error: finish() flushes again and reports.
        }
    }
}
