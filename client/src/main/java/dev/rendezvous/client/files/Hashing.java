package dev.rendezvous.client.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers: every JVM has the algorithm, so its absence is a bug, not an input error. */
final class Hashing {
    private Hashing() {}

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Feeds the first {@code length} bytes of {@code file} into {@code digest}, 1 MiB at a time. */
    static void update(MessageDigest digest, FileChannel file, long length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        long position = 0;
        while (position < length) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), length - position));
            int read = file.read(buffer, position);
            if (read < 0) {
                throw new IOException("file shorter than " + length + " bytes");
            }
            buffer.flip();
            digest.update(buffer);
            position += read;
        }
    }

    /** The SHA-256 of a whole file, as hex. */
    static String of(Path path) throws IOException {
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            MessageDigest digest = sha256();
            update(digest, file, file.size());
            return hex(digest);
        }
    }
}
