package dev.rendezvous.server.session;

import dev.rendezvous.server.auth.Authenticator;
import dev.rendezvous.server.hub.Hub;
import dev.rendezvous.server.hub.HubObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * {@link ConnectionSettings} for the logic tests of {@link Connection}: v1 (no resume, unless asked for), no
 * byte-rate limit, no ICE servers, pings every 100 ms with a 300 ms timeout, 1 s to authenticate.
 */
final class TestSettings {
    private TestSettings() {}

    /**
     * @param auth the authenticator, or null: auth off
     * @param authExecutor where tokens are verified ({@code Runnable::run}: at once, on the caller)
     * @param rate frames per second, in bursts of twice as many; 0: no limit
     */
    static ConnectionSettings of(
            Hub hub, HubObserver observer, Authenticator auth, Executor authExecutor, double rate) {
        return of(hub, observer, auth, authExecutor, rate, Duration.ZERO);
    }

    /** As the other {@code of}, with resume (v1.1) on when {@code resumeGrace} is above 0. */
    static ConnectionSettings of(
            Hub hub,
            HubObserver observer,
            Authenticator auth,
            Executor authExecutor,
            double rate,
            Duration resumeGrace) {
        return new ConnectionSettings(
                hub,
                observer,
                Duration.ofMillis(100),
                Duration.ofMillis(300),
                auth,
                Duration.ofMillis(1000),
                authExecutor,
                id -> List.of(),
                rate,
                rate * 2,
                0,
                0,
                resumeGrace,
                new ResumeDirectory());
    }
}
