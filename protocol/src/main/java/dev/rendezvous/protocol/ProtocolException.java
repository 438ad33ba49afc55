package dev.rendezvous.protocol;

/**
 * A frame that is not a valid protocol-v1 message. {@link #code()} is the error code the server answers
 * with; {@link #ref()} the frame's {@code type} when it was a string, else null.
 */
public final class ProtocolException extends Exception {
    private final ErrorCode code;
    private final String ref;

    public ProtocolException(ErrorCode code, String message, String ref) {
        super(message, null, false, false); // expected on bad input: no stack trace
        this.code = code;
        this.ref = ref;
    }

    public ErrorCode code() {
        return code;
    }

    public String ref() {
        return ref;
    }

    /** The {@link Message.Error} the server sends for this problem. */
    public Message.Error toError() {
        return new Message.Error(code, getMessage(), ref);
    }
}
