package dev.rendezvous.client.files;

/** A transfer that did not complete, with the reason as a person should read it. */
public final class FileTransferException extends Exception {
    public FileTransferException(String message) {
        super(message);
    }

    public FileTransferException(String message, Throwable cause) {
        super(message, cause);
    }
}
