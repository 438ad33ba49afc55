// One WebRTC connection to one remote peer: an RTCPeerConnection carrying the `chat` data channel (with
// safe send) and any audio and video tracks, renegotiated without glare (negotiation.js) and restarted
// when ICE fails. Created by Rendezvous on `paired`, on `users_in_room` / an offer in a room; never by
// the application.
//
// Lifecycle: new → (start) connecting → open (the chat channel is open; tracks may come and go any time)
// → closed (close(), the peer left, or the Rendezvous closed). A closed Connection is never reused: a
// new pairing with the same peer gives a new Connection. Events: 'open', 'data', 'track', 'trackremoved',
// 'statechange', 'icerestart', 'error', 'close', and 'change' whenever a state or a metric moves.
// Page thread only.
//
// Why one file of ~510 lines: it is one RTCPeerConnection's lifecycle, and its states, ICE restart, the
// chat channel and the tracks all move together on the same object; what stands apart already is apart
// (negotiation.js, safe-sender.js, files.js, stats.js, wire.js).

import { candidateAddress, candidateMessage, descriptionMessage, isLoopbackCandidate, keepLoopbackCandidates } from './wire.js';
import { Outcome, SafeSender } from './safe-sender.js';
import { Negotiator } from './negotiation.js';
import { MediaStatsReader, selectedPairOf } from './stats.js';
import { SILENT_LOGGER } from './signaling.js';

/** ICE restart policy: restart at once on 'failed', or after this long 'disconnected'; at most this often in a row. */
export const DEFAULT_ICE_RESTART = Object.freeze({ afterDisconnectedMs: 4000, maxAttempts: 3 });

/** A connection not open this long after it was built, with no usable local candidate signalled, warns (ms). */
export const CANDIDATE_WARNING_MS = 4000;

/**
 * Why a connection has no usable local candidate ('candidatewarning'): in loopback mode without the
 * microphone permission (Chromium then offers no 127.0.0.1); in loopback mode with every candidate withheld
 * (none was 127.*); nothing gathered at all (no network, or the browser withholds host candidates); only
 * mDNS names (`<uuid>.local`, which peers outside this browser cannot resolve).
 */
export const CandidateWarning = Object.freeze({
  LOOPBACK_PERMISSION_DENIED: 'loopback_permission_denied',
  ALL_WITHHELD: 'all_withheld',
  NONE_GATHERED: 'none_gathered',
  MDNS_ONLY: 'mdns_only',
});

let loopbackPermission = null;

/**
 * Chromium gathers 127.0.0.1 candidates only while the page holds media permission
 * (notes/browser-tests.md): ask for a microphone once per page and keep the stream.
 */
export function ensureLoopbackPermission(logger = SILENT_LOGGER) {
  if (!loopbackPermission) {
    loopbackPermission = navigator.mediaDevices
      .getUserMedia({ audio: true })
      .then((stream) => {
        logger.add('app', 'loopback_permission', { tracks: stream.getTracks().length });
        return stream;
      })
      .catch((error) => {
        logger.add('app', 'loopback_permission_failed', { error: error.message }, 'error');
        return null;
      });
  }
  return loopbackPermission;
}

export class Connection extends EventTarget {
  #options;
  #log;
  #pc = null;
  #negotiator = null;
  #channel = null;
  #sender;
  #closed = false;
  #ready = false; // the answerer adds tracks only after the first offer: the first exchange is the initiator's
  #pendingTracks = [];
  #descriptionReceived = false; // an offer or answer from the peer was handed in (applied or still queued)
  #senders = new Map(); // local track id → RTCRtpSender
  #remoteStreams = new Map(); // stream id → MediaStream
  #restart = { timer: null, attempts: 0 };
  #statsReader = new MediaStatsReader();
  #started; // resolves once start() has built the connection (or given up because closed)
  #markStarted;
  #loopbackGranted = null; // loopback mode: whether the microphone permission was given
  #candidateCheck = { timer: null, warned: false, mdns: 0 };

  /** Internal: Rendezvous builds connections. */
  constructor({ peerId, initiator, polite, username = null, iceServers = [], relayOnly = false, loopback = false,
    signal, logger = SILENT_LOGGER, sendLimits = {}, iceRestart = {} }) {
    super();
    this.#started = new Promise((resolve) => (this.#markStarted = resolve));
    this.#options = { iceServers, relayOnly, loopback, signal, iceRestart: { ...DEFAULT_ICE_RESTART, ...iceRestart } };
    this.#log = logger;
    this.peerId = peerId;
    this.username = username;
    this.initiator = initiator;
    this.polite = polite;
    this.createdAt = performance.now();
    this.state = { signaling: 'new', iceGathering: 'new', iceConnection: 'new', connection: 'new', channel: 'none' };
    this.metrics = {
      sent: 0, received: 0, errors: 0, queued: 0,
      candidatesSent: 0, candidatesWithheld: 0, candidatesReceived: 0,
      timeToConnectMs: null, selectedPair: null, iceRestarts: 0,
    };
    this.#sender = new SafeSender({
      limits: sendLimits,
      onEvent: (kind, detail) => {
        if (kind === 'send_failed') this.metrics.errors++;
        this.#event(`queue_${kind}`, detail, kind === 'flushed' ? 'info' : 'warn');
      },
    });
  }

  get displayName() {
    return this.username || shortId(this.peerId);
  }

  /** The RTCPeerConnection (null until started, and while the loopback permission is being asked). */
  get peerConnection() {
    return this.#pc;
  }

  /** True while the `chat` data channel is open. */
  get open() {
    return this.state.channel === 'open';
  }

  get closed() {
    return this.#closed;
  }

  /** The remote peer's streams that still carry at least one track. */
  get remoteStreams() {
    return [...this.#remoteStreams.values()].filter((stream) => stream.getTracks().length > 0);
  }

  /** Internal: builds the RTCPeerConnection; the initiator also creates the `chat` channel (and so offers). */
  async start(localTracks = []) {
    this.#pendingTracks.push(...localTracks);
    try {
      if (this.#options.loopback) this.#loopbackGranted = (await ensureLoopbackPermission(this.#log)) !== null;
      if (!this.#closed && !this.#pc) this.#build();
    } finally {
      this.#markStarted();
    }
  }

  #build() {
    const configuration = { iceServers: this.#options.iceServers };
    if (this.#options.relayOnly) configuration.iceTransportPolicy = 'relay';
    const pc = new RTCPeerConnection(configuration);
    this.#pc = pc;
    this.#event('connection_created', {
      role: this.initiator ? 'initiator' : 'answerer',
      polite: this.polite,
      iceServers: this.#options.iceServers.length,
      iceTransportPolicy: configuration.iceTransportPolicy ?? 'all',
      loopback: this.#options.loopback,
    });
    this.#negotiator = new Negotiator({
      pc,
      polite: this.polite,
      sendDescription: (description) => this.#sendDescription(description),
      event: (kind, detail, level) => this.#negotiationEvent(kind, detail, level),
    });
    this.#watch(pc);
    this.#candidateCheck.timer = setTimeout(() => this.#checkCandidates(true), CANDIDATE_WARNING_MS);
    if (this.initiator) {
      this.#adoptChannel(pc.createDataChannel('chat'));
      this.#becomeReady();
    }
  }

  /** Internal: whether the peer has sent an offer or answer yet (in arrival order, before it is applied). */
  get descriptionReceived() {
    return this.#descriptionReceived;
  }

  /** Internal: one relayed signaling message from this peer. */
  handleSignal(message) {
    if (this.#closed) return Promise.resolve();
    if (message.type === 'offer' || message.type === 'answer') this.#descriptionReceived = true;
    if (!this.#negotiator) {
      // Still asking for the loopback permission: apply once the connection exists.
      return this.#started.then(() => (this.#negotiator ? this.handleSignal(message) : undefined));
    }
    return this.#negotiator.handle(message).then(() => {
      if (!this.#ready && message.type === 'offer' && this.#pc?.signalingState === 'stable') this.#becomeReady();
    });
  }

  /**
   * Safe send on the `chat` channel: returns `{outcome: 'sent'|'queued'|'refused', code?, reason?}` at once
   * and never throws; `onSettled` reports once what became of a queued message.
   */
  send(text, onSettled = () => {}) {
    const result = this.#sender.send(String(text), (settled) => {
      this.metrics.queued = this.#sender.queuedCount;
      if (settled.outcome === Outcome.SENT) this.metrics.sent++;
      this.#changed();
      onSettled(settled);
    });
    if (result.outcome === Outcome.SENT) this.metrics.sent++;
    if (result.outcome === Outcome.REFUSED) this.#event('send_refused', { reason: result.reason }, 'warn');
    this.metrics.queued = this.#sender.queuedCount;
    this.#changed();
    return result;
  }

  /**
   * Opens another data channel on this connection (for instance `file:<n>` for a transfer); null until the
   * connection exists or once closed. The remote side sees it as a `datachannel` event.
   */
  openChannel(label, init = { ordered: true }) {
    if (this.#closed || !this.#pc) return null;
    const channel = this.#pc.createDataChannel(label, init);
    channel.binaryType = 'arraybuffer';
    return channel;
  }

  /** Sends a local track (any time: before or after connecting). Renegotiates. Returns false once closed. */
  addTrack(track, stream = null) {
    if (this.#closed) return false;
    if (this.#senders.has(track.id) || this.#pendingTracks.some((t) => t.track === track)) return true;
    if (!this.#ready || !this.#pc) {
      this.#pendingTracks.push({ track, stream });
      return true;
    }
    const sender = stream ? this.#pc.addTrack(track, stream) : this.#pc.addTrack(track);
    this.#senders.set(track.id, sender);
    this.#event('local_track_added', { kind: track.kind, label: track.label });
    return true;
  }

  /** Stops sending a local track (the track itself keeps running: stop it yourself). Renegotiates. */
  removeTrack(track) {
    this.#pendingTracks = this.#pendingTracks.filter((t) => t.track !== track);
    const sender = this.#senders.get(track.id);
    if (!sender || this.#closed) return false;
    this.#senders.delete(track.id);
    this.#pc.removeTrack(sender);
    this.#event('local_track_removed', { kind: track.kind });
    return true;
  }

  addStream(stream) {
    for (const track of stream.getTracks()) this.addTrack(track, stream);
  }

  removeStream(stream) {
    for (const track of stream.getTracks()) this.removeTrack(track);
  }

  /** Restarts ICE now (new credentials, new candidates, over signaling). The SDK also does it on failure. */
  restartIce(reason = 'requested') {
    if (this.#closed || !this.#pc) return false;
    clearTimeout(this.#restart.timer);
    this.#restart.timer = null;
    this.metrics.iceRestarts++;
    this.#event('ice_restart', { reason, attempt: this.#restart.attempts }, 'warn');
    this.dispatchEvent(new CustomEvent('icerestart', { detail: { reason, attempt: this.#restart.attempts } }));
    this.#pc.restartIce();
    return true;
  }

  /** The raw RTCStatsReport (null before start or after close). */
  async getStats() {
    return this.#pc && !this.#closed ? this.#pc.getStats() : null;
  }

  /** Media figures since the previous call (see stats.js MediaStatsReader), or null. */
  async mediaStats() {
    const report = await this.getStats();
    return report ? this.#statsReader.read(report) : null;
  }

  /** Reads the selected candidate pair and stores it in `metrics.selectedPair`. */
  async refreshSelectedPair() {
    const report = await this.getStats();
    const selected = report ? selectedPairOf(report) : null;
    if (!selected) return null;
    const key = (p) => (p ? `${p.local}|${p.remote}` : null);
    const changed = key(selected) !== key(this.metrics.selectedPair);
    this.metrics.selectedPair = selected;
    if (changed) this.#event('selected_pair', selected);
    this.#changed();
    return selected;
  }

  /** Closes channel then connection (the safe order), once. Queued messages are refused and reported. */
  close(reason = 'closed') {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#restart.timer);
    clearTimeout(this.#candidateCheck.timer);
    this.#negotiator?.close();
    this.#sender.close(reason);
    try {
      this.#channel?.close();
    } catch (error) {
      this.#log.add(this.peerId, 'channel_close_failed', { error: error.message }, 'warn');
    }
    this.#pc?.close();
    this.state.channel = 'closed';
    this.state.connection = 'closed';
    this.state.signaling = 'closed';
    this.#event('closed', { reason });
    this.dispatchEvent(new CustomEvent('close', { detail: { reason } }));
  }

  /** A JSON-ready view (dashboard, exported logs). */
  snapshot() {
    return {
      peerId: this.peerId,
      username: this.username,
      role: this.initiator ? 'initiator' : 'answerer',
      polite: this.polite,
      state: { ...this.state },
      metrics: { ...this.metrics, selectedPair: this.metrics.selectedPair && { ...this.metrics.selectedPair } },
      remoteTracks: this.remoteStreams.flatMap((s) => s.getTracks().map((t) => t.kind)),
      localTracks: [...this.#senders.values()].map((s) => s.track?.kind).filter(Boolean),
    };
  }

  #becomeReady() {
    this.#ready = true;
    for (const { track, stream } of this.#pendingTracks.splice(0)) this.addTrack(track, stream);
  }

  #watch(pc) {
    pc.addEventListener('signalingstatechange', () => this.#track('signaling', pc.signalingState));
    pc.addEventListener('icegatheringstatechange', () => this.#track('iceGathering', pc.iceGatheringState));
    pc.addEventListener('iceconnectionstatechange', () => {
      this.#track('iceConnection', pc.iceConnectionState);
      this.#restartPolicy(pc.iceConnectionState);
    });
    pc.addEventListener('connectionstatechange', () => {
      this.#track('connection', pc.connectionState);
      if (pc.connectionState === 'connected') this.refreshSelectedPair().catch(() => {});
      if (pc.connectionState === 'failed') this.metrics.errors++;
    });
    pc.addEventListener('icecandidate', (event) => this.#sendCandidate(event.candidate));
    pc.addEventListener('icecandidateerror', (event) => {
      this.#event('ice_candidate_error', { url: event.url, code: event.errorCode, text: event.errorText }, 'warn');
    });
    pc.addEventListener('datachannel', (event) => {
      if (event.channel.label !== 'chat') {
        // Another channel (a file transfer, say): for whoever listens ('datachannel'); closed if nobody does.
        const claim = new CustomEvent('datachannel', { detail: { channel: event.channel }, cancelable: true });
        this.dispatchEvent(claim);
        if (!claim.defaultPrevented) {
          this.#event('unexpected_channel', { label: event.channel.label }, 'warn');
          event.channel.close();
        }
        return;
      }
      this.#adoptChannel(event.channel);
    });
    pc.addEventListener('track', (event) => this.#remoteTrack(event));
  }

  #restartPolicy(iceState) {
    const policy = this.#options.iceRestart;
    if (iceState === 'connected' || iceState === 'completed') {
      clearTimeout(this.#restart.timer);
      this.#restart.timer = null;
      this.#restart.attempts = 0;
      return;
    }
    if ((iceState !== 'failed' && iceState !== 'disconnected') || this.#closed) return;
    if (this.#restart.attempts >= policy.maxAttempts) {
      if (this.#restart.timer === null) this.#event('ice_restart_given_up', { attempts: this.#restart.attempts }, 'error');
      return;
    }
    if (iceState === 'failed') {
      // 'failed' is final without a restart: restart at once.
      this.#restart.attempts++;
      this.restartIce('ice failed');
      return;
    }
    if (this.#restart.timer !== null) return;
    // 'disconnected' often heals by itself (a lost packet or two): restart only if it lasts.
    this.#restart.timer = setTimeout(() => {
      this.#restart.timer = null;
      const now = this.#pc?.iceConnectionState;
      if (now !== 'failed' && now !== 'disconnected') return;
      this.#restart.attempts++;
      this.restartIce(`ice ${now}`);
    }, policy.afterDisconnectedMs);
  }

  #remoteTrack(event) {
    const { track } = event;
    const stream = event.streams[0] ?? new MediaStream([track]);
    if (!this.#remoteStreams.has(stream.id)) {
      this.#remoteStreams.set(stream.id, stream);
      stream.addEventListener('removetrack', (removed) => {
        this.#event('remote_track_removed', { kind: removed.track.kind });
        this.dispatchEvent(new CustomEvent('trackremoved', { detail: { track: removed.track, stream } }));
      });
    }
    this.#event('remote_track', { kind: track.kind, stream: stream.id });
    this.dispatchEvent(new CustomEvent('track', { detail: { track, stream, streams: event.streams } }));
  }

  #adoptChannel(channel) {
    this.#channel = channel;
    let opened = false;
    const onOpen = () => {
      if (opened || this.#closed) return;
      opened = true;
      this.metrics.timeToConnectMs = Math.round(performance.now() - this.createdAt);
      this.#track('channel', 'open');
      this.refreshSelectedPair().catch(() => {});
      this.dispatchEvent(new CustomEvent('open'));
    };
    channel.addEventListener('open', onOpen);
    if (channel.readyState === 'open') onOpen();
    else this.#track('channel', channel.readyState);
    channel.addEventListener('close', () => this.#track('channel', 'closed'));
    channel.addEventListener('closing', () => this.#track('channel', 'closing'));
    channel.addEventListener('error', (event) => {
      const error = event.error;
      // SCTP cause 12 (User-Initiated Abort): the other side closed its channel; a departure, not a fault.
      if (error?.sctpCauseCode === 12 || /User-Initiated Abort/.test(error?.message ?? '')) {
        this.#event('channel_closed_by_peer', { detail: error?.message ?? '' });
        return;
      }
      this.metrics.errors++;
      this.#event('channel_error', { error: error?.message ?? 'unknown', detail: error?.errorDetail ?? null }, 'error');
      this.dispatchEvent(new CustomEvent('error', { detail: { step: 'channel', error: error?.message ?? 'unknown' } }));
    });
    channel.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') {
        this.#event('binary_message_ignored', {}, 'warn');
        return;
      }
      this.metrics.received++;
      this.#changed();
      this.dispatchEvent(new CustomEvent('data', { detail: event.data }));
    });
    this.#sender.attach(channel);
  }

  #sendDescription(description) {
    let sdp = description.sdp;
    if (this.#options.loopback) sdp = keepLoopbackCandidates(sdp);
    this.#options.signal(descriptionMessage(description.type, sdp));
  }

  #sendCandidate(candidate) {
    if (!candidate || !candidate.candidate) {
      this.#event('gathering_complete', { sent: this.metrics.candidatesSent, withheld: this.metrics.candidatesWithheld });
      this.#checkCandidates(false);
      return;
    }
    if (this.#options.loopback && !isLoopbackCandidate(candidate.candidate)) {
      this.metrics.candidatesWithheld++;
      this.#event('candidate_withheld', { address: candidateAddress(candidate.candidate), reason: 'loopback mode' });
      return;
    }
    this.metrics.candidatesSent++;
    if (/\.local$/i.test(candidateAddress(candidate.candidate) ?? '')) this.#candidateCheck.mdns++;
    this.#options.signal(candidateMessage(candidate));
  }

  /**
   * Warns once ('candidatewarning') when this side offers the peer no usable candidate: at the end of
   * gathering if nothing was gathered at all, otherwise at the deadline if the channel is still not open.
   */
  #checkCandidates(deadline) {
    const check = this.#candidateCheck;
    if (this.#closed || check.warned || this.open) return;
    const { candidatesSent: sent, candidatesWithheld: withheld } = this.metrics;
    let reason = null;
    if (this.#options.loopback && this.#loopbackGranted === false && sent === 0) reason = CandidateWarning.LOOPBACK_PERMISSION_DENIED;
    else if (sent === 0 && withheld === 0) reason = CandidateWarning.NONE_GATHERED;
    else if (sent === 0) reason = CandidateWarning.ALL_WITHHELD;
    else if (check.mdns === sent) reason = CandidateWarning.MDNS_ONLY;
    // Before the deadline only "nothing at all" is certain: withheld or mDNS candidates may still connect.
    if (!reason || (!deadline && reason !== CandidateWarning.NONE_GATHERED && reason !== CandidateWarning.LOOPBACK_PERMISSION_DENIED)) return;
    check.warned = true;
    clearTimeout(check.timer);
    const detail = { reason, sent, withheld, mdns: check.mdns, loopback: this.#options.loopback, relayOnly: this.#options.relayOnly };
    this.#event('no_usable_candidates', detail, 'warn');
    this.dispatchEvent(new CustomEvent('candidatewarning', { detail }));
  }

  #negotiationEvent(kind, detail, level) {
    if (kind === 'remote_candidate') {
      this.metrics.candidatesReceived++;
      return;
    }
    if (kind === 'step_failed' || kind === 'remote_candidate_rejected') {
      this.metrics.errors++;
      if (kind === 'step_failed') this.dispatchEvent(new CustomEvent('error', { detail }));
    }
    this.#event(kind, detail, level);
  }

  #track(key, value) {
    if (this.#closed || this.state[key] === value) return;
    this.state[key] = value;
    this.#event(`${key}_state`, { state: value });
    this.dispatchEvent(new CustomEvent('statechange', { detail: { key, state: value } }));
  }

  #event(kind, detail = {}, level = 'info') {
    this.#log.add(this.peerId, kind, detail, level);
    this.#changed();
  }

  #changed() {
    this.dispatchEvent(new CustomEvent('change'));
  }
}

export function shortId(id) {
  return id ? id.slice(0, 8) : '?';
}
