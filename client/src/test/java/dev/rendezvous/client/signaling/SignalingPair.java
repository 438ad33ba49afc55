package dev.rendezvous.client.signaling;

import java.util.concurrent.TimeUnit;

/**
 * Two signaling clients for a test, alice and bob, each with its recorder ({@code a}, {@code b}); not
 * paired (tests pair them, and check the {@code paired} events, each its own way). Closing the pair
 * closes alice, then bob.
 */
record SignalingPair(SignalingClient alice, SignalingRecorder a, SignalingClient bob, SignalingRecorder b)
        implements AutoCloseable {

    /** Connects alice with {@code aliceOptions}, then bob with {@code bobOptions}, each within 10 s. */
    static SignalingPair connect(SignalingOptions aliceOptions, SignalingOptions bobOptions) throws Exception {
        SignalingRecorder a = new SignalingRecorder();
        SignalingRecorder b = new SignalingRecorder();
        SignalingClient alice = connect(aliceOptions, a);
        try {
            return new SignalingPair(alice, a, connect(bobOptions, b), b);
        } catch (Exception | Error e) {
            alice.close();
            throw e;
        }
    }

    static SignalingClient connect(SignalingOptions options, SignalingListener listener) throws Exception {
        return SignalingClient.connect(options, listener).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        try {
            alice.close();
        } finally {
            bob.close();
        }
    }
}
