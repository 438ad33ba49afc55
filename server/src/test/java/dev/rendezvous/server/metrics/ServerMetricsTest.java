package dev.rendezvous.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.MessageType;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServerMetricsTest {

    @Test
    void countsRelayedMessagesByTypeAndRecordsRelayTime() {
        ServerMetrics metrics = new ServerMetrics(false, 1); // every relay timed

        metrics.relayed(MessageType.OFFER, TimeUnit.MICROSECONDS.toNanos(40));
        metrics.relayed(MessageType.CANDIDATE, TimeUnit.MICROSECONDS.toNanos(60));
        metrics.relayed(MessageType.CANDIDATE, TimeUnit.MICROSECONDS.toNanos(80));

        String text = metrics.scrape();
        assertThat(text)
                .contains("rendezvous_messages_relayed_total{type=\"offer\"} 1.0")
                .contains("rendezvous_messages_relayed_total{type=\"candidate\"} 2.0")
                .contains("rendezvous_messages_relayed_total{type=\"answer\"} 0.0")
                .contains("rendezvous_relay_seconds_count 3")
                .contains("rendezvous_relay_seconds_bucket{le=\"+Inf\"} 3");
    }

    @Test
    void nonRelayedTypesAreIgnoredOnTheRelayPath() {
        ServerMetrics metrics = new ServerMetrics(false);

        metrics.relayed(MessageType.PING, 1_000);

        assertThat(metrics.scrape()).doesNotContain("type=\"ping\"").contains("rendezvous_relay_seconds_count 0");
    }

    @Test
    void gaugesFollowOpenAndCloseEvents() {
        ServerMetrics metrics = new ServerMetrics(false);

        metrics.connectionOpened();
        metrics.connectionOpened();
        metrics.connectionClosed();
        metrics.clientAdmitted("a", null);
        metrics.roomCreated("r");
        metrics.paired("a", "b");
        metrics.paired("a", "b");
        metrics.unpaired("a", "b");

        assertThat(metrics.scrape())
                .contains("rendezvous_connections 1.0")
                .contains("rendezvous_connections_opened_total 2.0")
                .contains("rendezvous_clients 1.0")
                .contains("rendezvous_rooms 1.0")
                .contains("rendezvous_pairs 1.0")
                .contains("rendezvous_pairs_formed_total 2.0");
    }

    @Test
    void countsResumesByOutcomeReplayedFramesDetachedSessionsAndExpiries() {
        ServerMetrics metrics = new ServerMetrics(false);

        metrics.detachedChanged(1);
        metrics.detachedChanged(1);
        metrics.resumeSucceeded(3);
        metrics.detachedChanged(-1);
        metrics.resumeFailed("bad_token");
        metrics.graceExpired();

        assertThat(metrics.scrape())
                .contains("rendezvous_resumes_total{outcome=\"ok\"} 1.0")
                .contains("rendezvous_resumes_failed_total{reason=\"bad_token\"} 1.0")
                .contains("rendezvous_resumes_failed_total{reason=\"expired\"} 0.0")
                .contains("rendezvous_resume_frames_replayed_total 3.0")
                .contains("rendezvous_sessions_detached 1.0")
                .contains("rendezvous_resume_grace_expiries_total 1.0");
    }

    @Test
    void countsErrorsByCodeAuthFailuresAndKeepaliveTimeouts() {
        ServerMetrics metrics = new ServerMetrics(false);

        metrics.errorSent(ErrorCode.INVALID_JSON);
        metrics.errorSent(ErrorCode.INVALID_JSON);
        metrics.errorSent(ErrorCode.AUTH_FAILED);
        metrics.authFailed(ErrorCode.AUTH_FAILED);
        metrics.keepaliveTimedOut("a");
        metrics.throttled("b");

        assertThat(metrics.scrape())
                .contains("rendezvous_errors_total{code=\"invalid_json\"} 2.0")
                .contains("rendezvous_errors_total{code=\"auth_failed\"} 1.0")
                .contains("rendezvous_errors_total{code=\"peer_busy\"} 0.0")
                .contains("rendezvous_auth_failures_total 1.0")
                .contains("rendezvous_keepalive_timeouts_total 1.0")
                .contains("rendezvous_throttled_total 1.0");
    }

    @Test
    void exposesJvmMetrics() {
        String text = new ServerMetrics().scrape();

        assertThat(text).contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "process_uptime_seconds");
    }

    @Test
    void relayTimeIsSampledWhileEveryRelayIsCounted() {
        ServerMetrics metrics = new ServerMetrics(false);
        int relays = 16_000;
        for (int i = 0; i < relays; i++) {
            metrics.relayed(MessageType.CANDIDATE, 1_000);
        }
        String text = metrics.scrape();
        assertThat(text).contains("rendezvous_messages_relayed_total{type=\"candidate\"} 16000.0");
        long timed = text.lines()
                .filter(l -> l.startsWith("rendezvous_relay_seconds_count "))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
                .findFirst()
                .orElseThrow();
        // One in 16 on average: 1000 expected; 6 standard deviations (~±190) either way.
        assertThat(timed).isBetween(800L, 1200L);
    }
}
