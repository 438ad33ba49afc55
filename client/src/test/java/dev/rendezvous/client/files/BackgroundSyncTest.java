package dev.rendezvous.client.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The part file's flushes on a real file: along the way, and the final one that reports a failure. */
class BackgroundSyncTest {
    private static final int STRETCH = 4096;

    @TempDir
    Path dir;

    private FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    @Test
    void writesGoOnWhileStretchesAreFlushedAndFinishCoversTheRest() throws Exception {
        byte[] data = new byte[10 * STRETCH + 5];
        new Random(7).nextBytes(data);
        Path file = dir.resolve("a.part");
        try (FileChannel out = open(file)) {
            BackgroundSync flushes = new BackgroundSync(out, 0, STRETCH);
            for (int at = 0; at < data.length; at += 1000) {
                out.write(ByteBuffer.wrap(data, at, Math.min(1000, data.length - at)));
                flushes.written(Math.min(at + 1000, data.length));
            }
            flushes.finish();
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(data);
    }

    @Test
    void aFlushThatFailsInTheBackgroundIsReportedByTheFinalOne() throws Exception {
        FileChannel out = open(dir.resolve("b.part"));
        BackgroundSync flushes = new BackgroundSync(out, 10, STRETCH);
        out.close(); // the file is gone from under the transfer: every flush fails from here
        flushes.written(10 + STRETCH); // starts one; its failure is not thrown here
        assertThatThrownBy(flushes::finish).isInstanceOf(ClosedChannelException.class);
    }
}
