package dev.rendezvous.client.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * The receiving side of one transfer (one channel): a state machine fed the channel's messages. It
 * writes each chunk to {@code name.part} in the target directory as it arrives (nothing of the file is
 * held in memory beyond one chunk), has it flushed to disk in the background as it grows
 * ({@link BackgroundSync}), acknowledges every {@value #ACK_EVERY} bytes, and on {@code end} checks size
 * and SHA-256, flushes the rest and renames the part file to its name.
 *
 * <p>A sender that breaks the protocol gets a {@link FileMessage.Refuse} saying why, the channel closes,
 * and nothing outside the target directory is touched: names are checked by {@link SafeFileName}, the
 * part file is opened without following links, and a part file known to be wrong (too many bytes, short,
 * wrong hash) is deleted. A transfer cut off (the channel closed) keeps its part file, so the next offer of
 * the same name resumes from its length.
 *
 * <p>Not thread-safe: every call comes from the owning peer's event thread.
 */
final class IncomingFile {
    static final long ACK_EVERY = 1 << 20;

    /** Where replies go: the data channel in production, a recorder in logic tests. */
    interface Link {
        void send(String text);

        void close();
    }

    private enum State {
        AWAITING_META,
        RECEIVING,
        FINISHED
    }

    private final FileReceiver owner;
    private final Link link;
    private State state = State.AWAITING_META;
    private FileMessage.Meta meta;
    private Path target;
    private Path part;
    private FileChannel out;
    private BackgroundSync flushes;
    private MessageDigest digest;
    private long received;
    private long acked;
    private long resumedFrom;

    IncomingFile(FileReceiver owner, Link link) {
        this.owner = owner;
        this.link = link;
    }

    /** Refused before it started: every later message is ignored. */
    void ignoreAll() {
        state = State.FINISHED;
    }

    void onText(String text) {
        if (state == State.FINISHED) {
            return;
        }
        FileMessage message;
        try {
            message = FileMessage.parse(text);
        } catch (IllegalArgumentException e) {
            refuse("bad message: " + e.getMessage(), true);
            return;
        }
        switch (message) {
            case FileMessage.Meta m when state == State.AWAITING_META -> start(m);
            case FileMessage.Meta m -> refuse("metadata already received for this transfer", true);
            case FileMessage.End e when state == State.RECEIVING -> finish();
            case FileMessage.Refuse r -> abandon("the sender gave up: " + r.reason());
            case FileMessage.End e -> refuse("end before metadata", true);
            case FileMessage.Accept a -> refuse("unexpected message from the sender: accept", true);
            case FileMessage.Ack a -> refuse("unexpected message from the sender: ack", true);
            case FileMessage.Done d -> refuse("unexpected message from the sender: done", true);
        }
    }

    void onBinary(ByteBuffer chunk) {
        switch (state) {
            case FINISHED -> {}
            case AWAITING_META -> refuse("data before metadata", true);
            case RECEIVING -> write(chunk);
        }
    }

    /** The channel closed: an unfinished transfer keeps its part file for a resume. */
    void onClosed() {
        if (state == State.RECEIVING) {
            state = State.FINISHED;
            closeQuietly();
            owner.finished(
                    this,
                    meta,
                    false,
                    "interrupted at " + received + " of " + meta.size() + " bytes; " + part.getFileName()
                            + " is kept to resume");
        } else if (state == State.AWAITING_META) {
            state = State.FINISHED;
            owner.finished(this, null, false, null);
        }
    }

    private void start(FileMessage.Meta m) {
        String problem = SafeFileName.problem(m.name());
        if (problem != null) {
            refuse(problem, false);
            return;
        }
        meta = m;
        String busy = owner.claim(this, m.name());
        if (busy != null) {
            meta = null;
            refuse(busy, false);
            return;
        }
        Path dir = owner.directory();
        target = dir.resolve(m.name());
        part = dir.resolve(m.name() + ".part");
        if (!dir.equals(target.getParent()) || !dir.equals(part.getParent())) {
            refuse("file name does not stay in the target directory", false); // SafeFileName already stops this
            return;
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !owner.overwrite()) {
            refuse(m.name() + " already exists at the receiver (it did not allow overwriting: --force)", false);
            return;
        }
        try {
            if (Files.exists(part, LinkOption.NOFOLLOW_LINKS)
                    && !Files.isRegularFile(part, LinkOption.NOFOLLOW_LINKS)) {
                refuse(part.getFileName() + " at the receiver is not a regular file", false);
                return;
            }
            out = FileChannel.open(
                    part,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.READ,
                    LinkOption.NOFOLLOW_LINKS);
            long have = out.size();
            if (have > m.size()) {
                out.truncate(0);
                have = 0;
            }
            digest = Hashing.sha256();
            Hashing.update(digest, out, have); // resume: the hash covers the bytes already here
            out.position(have);
            received = have;
            acked = have;
            resumedFrom = have;
            flushes = new BackgroundSync(out, have);
        } catch (IOException e) {
            closeQuietly();
            refuse("receiver cannot write " + part.getFileName() + ": " + e.getMessage(), false);
            return;
        }
        state = State.RECEIVING;
        owner.started(meta, resumedFrom);
        link.send(new FileMessage.Accept(received).toJson());
    }

    private void write(ByteBuffer chunk) {
        int length = chunk.remaining();
        if (received + length > meta.size()) {
            refuse("more bytes than the announced size " + meta.size(), true);
            return;
        }
        try {
            ByteBuffer view = chunk.duplicate();
            digest.update(chunk.duplicate());
            while (view.hasRemaining()) {
                out.write(view);
            }
        } catch (IOException e) {
            refuse("receiver cannot write " + part.getFileName() + ": " + e.getMessage(), false);
            return;
        }
        received += length;
        flushes.written(received);
        owner.progress(meta, received);
        if (received - acked >= ACK_EVERY) {
            acked = received;
            link.send(new FileMessage.Ack(received).toJson());
        }
    }

    private void finish() {
        if (received != meta.size()) {
            refuse("the sender ended at " + received + " of the announced " + meta.size() + " bytes", true);
            return;
        }
        String actual = Hashing.hex(digest);
        if (!actual.equals(meta.sha256())) {
            refuse("SHA-256 mismatch: announced " + meta.sha256() + ", received " + actual, true);
            return;
        }
        try {
            flushes.finish();
            out.close();
            if (owner.overwrite()) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.move(part, target); // fails rather than replace a file that appeared meanwhile
            }
        } catch (FileAlreadyExistsException e) {
            refuse(meta.name() + " appeared at the receiver meanwhile (it did not allow overwriting: --force)", false);
            return;
        } catch (IOException e) {
            refuse("receiver cannot finish " + meta.name() + ": " + e.getMessage(), false);
            return;
        }
        state = State.FINISHED;
        link.send(new FileMessage.Done(actual).toJson());
        owner.finished(this, meta, true, null);
    }

    /** The sender said it gives up: the part file stays for a resume. */
    private void abandon(String reason) {
        State was = state;
        state = State.FINISHED;
        closeQuietly();
        link.close();
        owner.finished(this, was == State.RECEIVING ? meta : null, false, reason);
    }

    /**
     * Refuses: tells the sender why, closes the channel. With {@code discard} (the sender broke the
     * protocol or the bytes are wrong) a part file this transfer wrote is deleted.
     */
    private void refuse(String reason, boolean discard) {
        boolean receiving = state == State.RECEIVING;
        state = State.FINISHED;
        closeQuietly();
        if (discard && receiving && part != null) {
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                reason += " (and " + part.getFileName() + " could not be deleted: " + e.getMessage() + ")";
            }
        }
        link.send(new FileMessage.Refuse(reason).toJson());
        link.close();
        owner.finished(this, meta, false, reason);
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // Nothing more to write; the part file is as complete as it got.
            }
            out = null;
        }
    }
}
