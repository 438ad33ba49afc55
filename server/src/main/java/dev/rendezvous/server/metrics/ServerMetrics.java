package dev.rendezvous.server.metrics;

import dev.rendezvous.protocol.ErrorCode;
import dev.rendezvous.protocol.MessageType;
import dev.rendezvous.server.hub.HubObserver;
import dev.rendezvous.server.logging.LogBudget;
import dev.rendezvous.server.peerjs.PeerJsConfig;
import dev.rendezvous.server.peerjs.PeerJsObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's meters, with the Prometheus names they are scraped under:
 *
 * <ul>
 *   <li>{@code rendezvous_connections} (gauge) — open WebSocket sessions, admitted or not;
 *       {@code rendezvous_connections_opened_total} — sessions ever opened
 *   <li>{@code rendezvous_clients} (gauge) — admitted clients
 *   <li>{@code rendezvous_rooms} (gauge) — rooms with at least one member
 *   <li>{@code rendezvous_pairs} (gauge) — lobby pairs; {@code rendezvous_pairs_formed_total}
 *   <li>{@code rendezvous_messages_relayed_total{type}} — offer/answer/candidate/ice_candidate deliveries
 *   <li>{@code rendezvous_errors_total{code}} — {@code error} messages sent, by protocol error code
 *   <li>{@code rendezvous_auth_failures_total} — refused or timed-out authentications
 *   <li>{@code rendezvous_keepalive_timeouts_total} — sessions closed for silence (4008)
 *   <li>{@code rendezvous_throttled_total} — sessions closed for sending too fast or not reading (4029)
 *   <li>{@code rendezvous_log_lines_suppressed_total} — client-caused log lines not written for want of
 *       log budget (process-wide, see {@link LogBudget})
 *   <li>{@code rendezvous_relay_seconds} (histogram) — server-side relay time, frame read to frame written;
 *       sampled, one relay in {@value #RELAY_TIME_SAMPLING} (its count is not the relay count)
 *   <li>{@code rendezvous_backplane_up{kind}} (gauge) — cluster nodes: 1 while Redis is reachable, 0 while not
 *   <li>{@code rendezvous_protocol_clients{protocol}} (gauge) — admitted clients by protocol: {@code v1}, {@code peerjs}
 *   <li>{@code rendezvous_protocol_messages_relayed_total{protocol="peerjs",type}} — PeerJS OFFER/ANSWER/CANDIDATE/LEAVE/EXPIRE deliveries
 *   <li>{@code rendezvous_protocol_messages_queued_total{protocol="peerjs"}} — PeerJS messages queued for an id not connected
 *   <li>{@code rendezvous_protocol_expired_total{protocol="peerjs"}} — EXPIRE answers (peer-unavailable)
 *   <li>{@code rendezvous_protocol_refused_total{protocol="peerjs",reason}} — PeerJS connections refused
 *   <li>{@code rendezvous_protocol_ignored_total{protocol="peerjs"}} — PeerJS frames ignored (bad JSON, unknown type, binary, no dst)
 *   <li>{@code jvm_*}, {@code process_*}, {@code system_*} — JVM memory, GC, threads, classes, CPU, uptime
 * </ul>
 *
 * Thread-safe; see the package documentation for the hot-path rule.
 */
public final class ServerMetrics implements HubObserver, PeerJsObserver {

    private final PrometheusMeterRegistry registry;
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong clients = new AtomicLong();
    private final AtomicLong rooms = new AtomicLong();
    private final AtomicLong pairs = new AtomicLong();
    private final Counter connectionsOpened;
    private final Counter pairsFormed;
    private final Counter authFailures;
    private final Counter keepaliveTimeouts;
    private final Counter throttled;
    private final Map<String, Counter> connectionsRefused = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<MessageType, Counter> relayedByType = new EnumMap<>(MessageType.class);
    private final Map<ErrorCode, Counter> errorsByCode = new EnumMap<>(ErrorCode.class);
    private final Timer relayTime;
    private final AtomicLong detached = new AtomicLong();
    private final Counter resumesOk;
    private final Counter framesReplayed;
    private final Counter graceExpiries;
    private final Map<String, Counter> resumesFailed = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, AtomicLong> backplanes = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong v1Clients = new AtomicLong();
    private final AtomicLong peerJsClients = new AtomicLong();
    private final Map<String, Counter> peerJsRelayed = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Counter> peerJsRefused = new java.util.concurrent.ConcurrentHashMap<>();
    private final Counter peerJsQueued;
    private final Counter peerJsExpired;
    private final Counter peerJsIgnored;

    /**
     * One relay in this many is timed: recording into the histogram's shared buckets cost ~7 % of the
     * relay's CPU when every relay was timed (JFR); a uniform sample gives the same quantiles.
     */
    public static final int RELAY_TIME_SAMPLING = 16;

    private final int relayTimeSampling;

    public ServerMetrics() {
        this(true);
    }

    /** @param jvm whether to bind the JVM/process meters (tests of counting leave them out) */
    public ServerMetrics(boolean jvm) {
        this(jvm, RELAY_TIME_SAMPLING);
    }

    /** @param relayTimeSampling time one relay in this many (1: every relay) */
    ServerMetrics(boolean jvm, int relayTimeSampling) {
        this.relayTimeSampling = relayTimeSampling;
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        gauge("rendezvous.connections", connections, "Open WebSocket sessions, admitted or not");
        gauge("rendezvous.clients", clients, "Admitted clients");
        gauge("rendezvous.rooms", rooms, "Rooms with at least one member");
        gauge("rendezvous.pairs", pairs, "Lobby pairs");
        connectionsOpened = counter("rendezvous.connections.opened", "WebSocket sessions opened");
        pairsFormed = counter("rendezvous.pairs.formed", "Lobby pairs formed");
        authFailures = counter("rendezvous.auth.failures", "Refused or timed-out authentications");
        keepaliveTimeouts = counter("rendezvous.keepalive.timeouts", "Sessions closed for silence (4008)");
        throttled = counter("rendezvous.throttled", "Sessions closed for sending too fast or not reading (4029)");
        for (String reason : List.of("too_many", "too_fast")) {
            connectionsRefused.put(
                    reason,
                    counter(
                            "rendezvous.connections.refused",
                            "Connections refused by the per-address cap (too_many) or connection rate (too_fast)",
                            "reason",
                            reason));
        }
        FunctionCounter.builder("rendezvous.log.lines.suppressed", LogBudget.CLIENTS, LogBudget::suppressed)
                .description("Client-caused log lines not written for want of log budget (process-wide)")
                .register(registry);
        for (MessageType type : MessageType.values()) {
            if (isRelayed(type)) {
                relayedByType.put(
                        type,
                        counter(
                                "rendezvous.messages.relayed",
                                "Relayed signaling messages delivered, by type",
                                "type",
                                type.wireName()));
            }
        }
        for (ErrorCode code : ErrorCode.values()) {
            errorsByCode.put(
                    code,
                    counter("rendezvous.errors", "Error messages sent to clients, by code", "code", code.wireName()));
        }
        gauge(
                "rendezvous.sessions.detached",
                detached,
                "Resumable sessions whose connection is gone, within their resume grace");
        resumesOk = counter("rendezvous.resumes", "Sessions resumed on a new connection", "outcome", "ok");
        framesReplayed = counter("rendezvous.resume.frames.replayed", "Frames sent again to resumed sessions");
        graceExpiries = counter(
                "rendezvous.resume.grace.expiries", "Detached sessions that departed at the end of their resume grace");
        for (String reason :
                new String[] {"unknown_id", "bad_token", "expired", "cannot_replay", "not_a_resume", "owner_unreachable"
                }) {
            resumesFailed.put(
                    reason, counter("rendezvous.resumes.failed", "Failed resumes, by reason", "reason", reason));
        }
        gauge("rendezvous.protocol.clients", v1Clients, "Admitted clients by protocol", "protocol", "v1");
        gauge("rendezvous.protocol.clients", peerJsClients, "Admitted clients by protocol", "protocol", "peerjs");
        for (String type : List.of("OFFER", "ANSWER", "CANDIDATE", "LEAVE", "EXPIRE")) {
            peerJsRelayed.put(
                    type,
                    counter(
                            "rendezvous.protocol.messages.relayed",
                            "Relayed messages delivered, by protocol and type",
                            "protocol",
                            "peerjs",
                            "type",
                            type));
        }
        peerJsQueued = counter(
                "rendezvous.protocol.messages.queued",
                "Messages queued for an id that is not connected",
                "protocol",
                "peerjs");
        peerJsExpired = counter(
                "rendezvous.protocol.expired",
                "EXPIRE answers: queued messages whose receiver never came",
                "protocol",
                "peerjs");
        peerJsIgnored = counter(
                "rendezvous.protocol.ignored",
                "Frames ignored (not JSON, unknown type, binary, no dst)",
                "protocol",
                "peerjs");
        relayTime = Timer.builder("rendezvous.relay")
                .description(
                        "Server-side relay time: frame decoded to frame written to the target (sampled: one relay in "
                                + relayTimeSampling + ")")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(1_000))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(registry);
        if (jvm) {
            new JvmMemoryMetrics().bindTo(registry);
            new JvmGcMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
        }
    }

    /** Registers a counter; {@code tags} are key, value pairs. */
    private Counter counter(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    /** Registers a gauge that reads {@code value}; {@code tags} are key, value pairs. */
    private void gauge(String name, AtomicLong value, String description, String... tags) {
        Gauge.builder(name, value, AtomicLong::get)
                .description(description)
                .tags(tags)
                .register(registry);
    }

    private static boolean isRelayed(MessageType type) {
        return switch (type) {
            case OFFER, ANSWER, CANDIDATE, ICE_CANDIDATE -> true;
            case AUTH_REQUIRED,
                    AUTH_TOKEN,
                    AUTH_SUCCESS,
                    YOUR_ID,
                    PAIR_REQUEST,
                    PAIRED,
                    UNPAIR,
                    PEER_DISCONNECTED,
                    USERS_IN_ROOM,
                    USER_JOINED,
                    USER_LEFT,
                    PING,
                    PONG,
                    ERROR -> false;
        };
    }

    /** Counts under {@code key} when it is one of the keys registered up front; an unknown key is not counted. */
    private static void incrementKnown(Map<String, Counter> counters, String key) {
        Counter c = counters.get(key);
        if (c != null) {
            c.increment();
        }
    }

    @Override
    public void connectionOpened() {
        connections.incrementAndGet();
        connectionsOpened.increment();
    }

    @Override
    public void connectionRefused(String reason) {
        incrementKnown(connectionsRefused, reason);
    }

    @Override
    public void connectionClosed() {
        connections.decrementAndGet();
    }

    @Override
    public void clientAdmitted(String clientId, String room) {
        clients.incrementAndGet();
        (PeerJsConfig.HUB_SCOPE.equals(room) ? peerJsClients : v1Clients).incrementAndGet();
    }

    @Override
    public void clientLeft(String clientId, String room) {
        clients.decrementAndGet();
        (PeerJsConfig.HUB_SCOPE.equals(room) ? peerJsClients : v1Clients).decrementAndGet();
    }

    @Override
    public void relayed(String type) {
        incrementKnown(peerJsRelayed, type);
    }

    @Override
    public void queued() {
        peerJsQueued.increment();
    }

    @Override
    public void expired() {
        peerJsExpired.increment();
    }

    @Override
    public void refused(String reason) {
        peerJsRefused
                .computeIfAbsent(
                        reason,
                        r -> counter(
                                "rendezvous.protocol.refused",
                                "Connections refused at admission, by protocol and reason",
                                "protocol",
                                "peerjs",
                                "reason",
                                r))
                .increment();
    }

    @Override
    public void ignored() {
        peerJsIgnored.increment();
    }

    @Override
    public void roomCreated(String room) {
        rooms.incrementAndGet();
    }

    @Override
    public void roomRemoved(String room) {
        rooms.decrementAndGet();
    }

    @Override
    public void paired(String initiatorId, String peerId) {
        pairs.incrementAndGet();
        pairsFormed.increment();
    }

    @Override
    public void unpaired(String clientId, String peerId) {
        pairs.decrementAndGet();
    }

    /** A relayed message was handed to the transport {@code nanos} after its frame arrived. */
    @Override
    public void relayed(MessageType type, long nanos) {
        Counter counter = relayedByType.get(type);
        if (counter != null) {
            counter.increment();
            if (relayTimeSampling == 1 || ThreadLocalRandom.current().nextInt(relayTimeSampling) == 0) {
                relayTime.record(nanos, TimeUnit.NANOSECONDS);
            }
        }
    }

    @Override
    public void errorSent(ErrorCode code) {
        errorsByCode.get(code).increment();
    }

    @Override
    public void authFailed(ErrorCode code) {
        authFailures.increment();
    }

    @Override
    public void keepaliveTimedOut(String clientId) {
        keepaliveTimeouts.increment();
    }

    @Override
    public void resumeSucceeded(int replayed) {
        resumesOk.increment();
        framesReplayed.increment(replayed);
    }

    @Override
    public void resumeFailed(String reason) {
        incrementKnown(resumesFailed, reason);
    }

    @Override
    public void detachedChanged(int delta) {
        detached.addAndGet(delta);
    }

    @Override
    public void graceExpired() {
        graceExpiries.increment();
    }

    @Override
    public void throttled(String clientId) {
        throttled.increment();
    }

    /** {@code rendezvous_backplane_up{kind}}: 1 while the cluster backplane is reachable, 0 while not (cluster nodes only). */
    @Override
    public void backplaneChanged(String kind, boolean up) {
        backplanes
                .computeIfAbsent(kind, k -> {
                    AtomicLong state = new AtomicLong();
                    gauge(
                            "rendezvous.backplane.up",
                            state,
                            "1 while the cluster backplane is reachable, 0 while not",
                            "kind",
                            k);
                    return state;
                })
                .set(up ? 1 : 0);
    }

    /** The Prometheus text exposition (format 0.0.4) of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    /** The content type {@link #scrape()} is served with. */
    public static String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }

    /** The underlying registry, to add meters of other components. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }
}
