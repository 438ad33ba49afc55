package dev.rendezvous.e2e;

import dev.rendezvous.client.rtc.RtcRuntime;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One webrtc-java runtime for the Java peers of a test class (a static {@code @RegisterExtension} field):
 * created before the class's first test, closed after its last, so libwebrtc starts once per class.
 */
final class SharedRtc implements BeforeAllCallback, AfterAllCallback {

    private RtcRuntime runtime;

    @Override
    public void beforeAll(ExtensionContext context) {
        runtime = RtcRuntime.create();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (runtime != null) runtime.close();
        runtime = null;
    }

    RtcRuntime runtime() {
        if (runtime == null) throw new IllegalStateException("register SharedRtc in a static field");
        return runtime;
    }
}
