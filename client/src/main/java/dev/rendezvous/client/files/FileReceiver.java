package dev.rendezvous.client.files;

import dev.rendezvous.client.rtc.ChannelListener;
import dev.rendezvous.client.rtc.DataChannel;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Receives files into one directory: hand it every remote channel whose label starts with
 * {@value #LABEL_PREFIX} ({@link #accept}). Bounds what one sender can make it hold: at most
 * {@value #MAX_OPEN} transfer channels alive at once and {@value #MAX_ACTIVE} files being written, one
 * transfer per name at a time.
 *
 * <p>Not thread-safe: every call comes from the owning peer's event thread (channel listeners run there),
 * and so do the {@link Events}.
 */
public final class FileReceiver {
    public static final String LABEL_PREFIX = "file:";
    static final int MAX_OPEN = 16;
    static final int MAX_ACTIVE = 4;

    /** What happens to received files, on the peer's event thread. Do not block. */
    public interface Events {
        /** A transfer was accepted; {@code offset} bytes were already here (a resume), the rest follow. */
        default void started(String name, long size, long offset) {}

        default void progress(String name, long bytes, long size) {}

        /** {@code path} is complete, its SHA-256 verified. */
        default void completed(String name, Path path, long size, String sha256) {}

        /** A transfer was refused or cut off; {@code name} is null if no valid metadata came first. */
        default void failed(String name, String reason) {}
    }

    private final Path directory;
    private final boolean overwrite;
    private final Events events;
    private final Set<IncomingFile> open = new HashSet<>();
    private final Map<String, IncomingFile> active = new HashMap<>();

    /**
     * @param directory where files go (made absolute and normalized; it must exist)
     * @param overwrite replace existing files ({@code --force}); without it an existing name is refused
     */
    public FileReceiver(Path directory, boolean overwrite, Events events) {
        this.directory = directory.toAbsolutePath().normalize();
        this.overwrite = overwrite;
        this.events = events;
    }

    /** Whether {@code channel} is a file transfer (its label starts with {@value #LABEL_PREFIX}). */
    public static boolean isTransfer(DataChannel channel) {
        return channel.label().startsWith(LABEL_PREFIX);
    }

    /** The listener for one remote transfer channel (return it from {@code onRemoteChannel}). */
    public ChannelListener accept(DataChannel channel) {
        IncomingFile incoming = open(new IncomingFile.Link() {
            @Override
            public void send(String text) {
                channel.send(text);
            }

            @Override
            public void close() {
                channel.close();
            }
        });
        return new ChannelListener() {
            @Override
            public void onMessage(DataChannel c, String text) {
                incoming.onText(text);
            }

            @Override
            public void onMessage(DataChannel c, ByteBuffer data) {
                incoming.onBinary(data);
            }

            @Override
            public void onClosed(DataChannel c) {
                incoming.onClosed();
            }
        };
    }

    /** A new transfer on {@code link}; past {@value #MAX_OPEN} open ones it is refused at once. */
    IncomingFile open(IncomingFile.Link link) {
        IncomingFile incoming = new IncomingFile(this, link);
        if (open.size() >= MAX_OPEN) {
            link.send(new FileMessage.Refuse("too many transfer channels open at once (at most " + MAX_OPEN + ")")
                    .toJson());
            link.close();
            events.failed(null, "refused a transfer channel: more than " + MAX_OPEN + " open at once");
            incoming.ignoreAll(); // refused: nothing this channel says is read
            return incoming;
        }
        open.add(incoming);
        return incoming;
    }

    Path directory() {
        return directory;
    }

    boolean overwrite() {
        return overwrite;
    }

    /** @return null if {@code incoming} may write {@code name}, else why not */
    String claim(IncomingFile incoming, String name) {
        if (active.containsKey(name)) {
            return "already receiving " + name;
        }
        if (active.size() >= MAX_ACTIVE) {
            return "too many files at once (at most " + MAX_ACTIVE + ")";
        }
        active.put(name, incoming);
        return null;
    }

    void started(FileMessage.Meta meta, long offset) {
        events.started(meta.name(), meta.size(), offset);
    }

    void progress(FileMessage.Meta meta, long bytes) {
        events.progress(meta.name(), bytes, meta.size());
    }

    void finished(IncomingFile incoming, FileMessage.Meta meta, boolean ok, String reason) {
        open.remove(incoming);
        if (meta != null) {
            active.remove(meta.name(), incoming);
        }
        if (ok) {
            events.completed(meta.name(), directory.resolve(meta.name()), meta.size(), meta.sha256());
        } else if (reason != null) {
            events.failed(meta == null ? null : meta.name(), reason);
        }
    }
}
