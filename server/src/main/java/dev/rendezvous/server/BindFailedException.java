package dev.rendezvous.server;

import java.util.Locale;

/**
 * The server could not listen on its address, said as a person can act on it: the port is taken, the
 * address is not one of this machine's, or the port needs privileges. The cause keeps the socket error
 * for debug logging.
 */
public final class BindFailedException extends RuntimeException {
    /** Why the bind failed. */
    public enum Reason {
        PORT_IN_USE,
        ADDRESS_NOT_HERE,
        PERMISSION_DENIED,
        OTHER
    }

    private final Reason reason;

    /** The message names {@code host} and {@code port} as the reason needs them. */
    BindFailedException(String host, int port, Throwable cause) {
        this(reasonOf(cause), host, port, cause);
    }

    private BindFailedException(Reason reason, String host, int port, Throwable cause) {
        super(describe(reason, host, port, cause), cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    private static Reason reasonOf(Throwable cause) {
        // java.net.BindException (NIO) and Netty's NativeIoException (epoll) carry the same strerror text.
        String m = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("address already in use") || m.contains("error(-98)")) {
            return Reason.PORT_IN_USE;
        }
        if (m.contains("cannot assign requested address") || m.contains("error(-99)")) {
            return Reason.ADDRESS_NOT_HERE;
        }
        if (m.contains("permission denied") || m.contains("error(-13)")) {
            return Reason.PERMISSION_DENIED;
        }
        return Reason.OTHER;
    }

    private static String describe(Reason reason, String host, int port, Throwable cause) {
        return switch (reason) {
            case PORT_IN_USE -> "port " + port + " is already in use on " + host;
            case ADDRESS_NOT_HERE -> host + " is not an address of this machine";
            case PERMISSION_DENIED -> "port " + port + " needs privileges on this machine";
            case OTHER -> "cannot listen on " + host + ":" + port + ": " + cause.getMessage();
        };
    }
}
