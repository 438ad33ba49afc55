package dev.rendezvous.protocol;

/**
 * A frame that is not a valid protocol-v1 message. {@link #code()} is the error code the server answers
 * with; {@link #ref()} the frame's {@code type} when it was a string, else null.
 */
public final class ProtocolException extends Exception {
    /** What the server answers: the code, this exception's message and the ref, built once where the problem is found. */
    private final Message.Error error;

    public ProtocolException(ErrorCode code, String message, String ref) {
        super(message, null, false, false); // expected on bad input: no stack trace
        this.error = new Message.Error(code, message, ref);
    }

    public ErrorCode code() {
        return error.code();
    }

    public String ref() {
        return error.ref();
    }

    /** The {@link Message.Error} the server sends for this problem. */
    public Message.Error toError() {
        return error;
    }
}
