package dev.rendezvous.client.files;

/** Progress of one transfer: sender side on the sending thread, receiver side on the peer's event thread. */
@FunctionalInterface
public interface TransferProgress {
    /** {@code bytes} of {@code size} are done (sent and acknowledged, or written). Do not block. */
    void progress(String name, long bytes, long size);

    TransferProgress NONE = (name, bytes, size) -> {};
}
