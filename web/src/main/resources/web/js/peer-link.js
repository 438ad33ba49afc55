// One WebRTC connection to one remote peer: RTCPeerConnection + the `chat` data channel + safe send.
// The initiator creates the channel and the offer; the answerer accepts both (protocol v1, no glare).
// Signaling steps run one after another on a promise chain, so an answer or a candidate never overtakes
// the description it depends on; remote candidates that arrive before the remote description wait.
// Page thread only. Emits 'change' whenever a state or a metric moves, and 'message' per chat message.

import { candidateAddress, candidateMessage, candidateOf, descriptionMessage, isLoopbackCandidate, keepLoopbackCandidates, sdpOf } from './wire.js';
import { Outcome, SafeSender } from './safe-sender.js';

let loopbackPermission = null;

/**
 * Chromium gathers 127.0.0.1 candidates only while the page holds media permission
 * (notes/browser-tests.md): ask for a microphone once per page and keep the stream.
 */
export function ensureLoopbackPermission(log) {
  if (!loopbackPermission) {
    loopbackPermission = navigator.mediaDevices
      .getUserMedia({ audio: true })
      .then((stream) => {
        log.add('app', 'loopback_permission', { tracks: stream.getTracks().length });
        return stream;
      })
      .catch((error) => {
        log.add('app', 'loopback_permission_failed', { error: error.message }, 'error');
        return null;
      });
  }
  return loopbackPermission;
}

export class PeerLink extends EventTarget {
  #config;
  #log;
  #pc = null;
  #channel = null;
  #sender;
  #chain = Promise.resolve();
  #pendingCandidates = [];
  #closed = false;
  #statsTimer = null;

  /**
   * @param peerId      the remote peer's id
   * @param initiator   true: create the channel and the offer
   * @param username    the remote's display name, if known
   * @param iceServers  from `your_id`
   * @param relayOnly   iceTransportPolicy 'relay' (TURN tests)
   * @param loopback    gather with media permission and signal only 127.* candidates
   * @param signal      (message) => boolean, sends one signaling message to this peer
   * @param log         the page's EventLog
   */
  constructor({ peerId, initiator, username = null, iceServers = [], relayOnly = false, loopback = false, signal, log }) {
    super();
    this.#config = { iceServers, relayOnly, loopback, signal };
    this.#log = log;
    this.peerId = peerId;
    this.username = username;
    this.initiator = initiator;
    this.createdAt = performance.now();
    this.state = {
      signaling: 'new',
      iceGathering: 'new',
      iceConnection: 'new',
      connection: 'new',
      channel: 'none',
    };
    this.metrics = {
      sent: 0,
      received: 0,
      errors: 0,
      queued: 0,
      candidatesSent: 0,
      candidatesWithheld: 0,
      candidatesReceived: 0,
      timeToConnectMs: null,
      selectedPair: null,
    };
    this.#sender = new SafeSender({
      onEvent: (kind, detail) => {
        if (kind === 'send_failed') this.metrics.errors++;
        this.#event(`queue_${kind}`, detail, kind === 'flushed' ? 'info' : 'warn');
      },
    });
  }

  get displayName() {
    return this.username || shortId(this.peerId);
  }

  /** Builds the connection; the initiator also creates the `chat` channel and sends its offer. */
  start() {
    return this.#enqueue('start', async () => {
      await this.#createConnection();
      if (!this.#pc || !this.initiator) return;
      this.#adoptChannel(this.#pc.createDataChannel('chat'));
      const offer = await this.#pc.createOffer();
      await this.#pc.setLocalDescription(offer);
      this.#sendDescription('offer');
    });
  }

  /** Applies one relayed `offer`, `answer`, `candidate` or `ice_candidate` from this peer. */
  handleSignal(message) {
    const type = message.type === 'ice_candidate' ? 'candidate' : message.type;
    return this.#enqueue(`handle_${type}`, async () => {
      if (!this.#pc) await this.#createConnection();
      if (!this.#pc) return;
      if (type === 'offer' || type === 'answer') {
        await this.#applyDescription(type, message);
      } else if (type === 'candidate') {
        await this.#applyCandidate(message);
      }
    });
  }

  /** Safe send (see SafeSender). Returns {outcome, reason?}; `onSettled` reports a queued message's fate. */
  send(text, onSettled = () => {}) {
    const result = this.#sender.send(text, (settled) => {
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

  /** Closes channel then connection (the safe order), once. Queued messages are dropped and reported. */
  close(reason) {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#statsTimer);
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
  }

  get closed() {
    return this.#closed;
  }

  /** A JSON-ready view for the dashboard and the exported log. */
  snapshot() {
    return {
      peerId: this.peerId,
      username: this.username,
      role: this.initiator ? 'initiator' : 'answerer',
      state: { ...this.state },
      metrics: { ...this.metrics, selectedPair: this.metrics.selectedPair && { ...this.metrics.selectedPair } },
    };
  }

  /** Reads the selected candidate pair from getStats (types and addresses of both ends). */
  async refreshSelectedPair() {
    if (!this.#pc || this.#closed) return null;
    const report = await this.#pc.getStats();
    let pair = null;
    report.forEach((stat) => {
      if (stat.type === 'transport' && stat.selectedCandidatePairId) pair = report.get(stat.selectedCandidatePairId);
    });
    if (!pair) {
      report.forEach((stat) => {
        if (!pair && stat.type === 'candidate-pair' && stat.state === 'succeeded' && stat.nominated) pair = stat;
      });
    }
    if (!pair) return null;
    const local = report.get(pair.localCandidateId);
    const remote = report.get(pair.remoteCandidateId);
    const selected = {
      localType: local?.candidateType ?? 'unknown',
      remoteType: remote?.candidateType ?? 'unknown',
      local: endpoint(local),
      remote: endpoint(remote),
      protocol: local?.protocol ?? null,
      rttMs: pair.currentRoundTripTime != null ? Math.round(pair.currentRoundTripTime * 1000) : null,
    };
    const pairKey = (p) => (p ? `${p.local}|${p.remote}` : null);
    const changedPair = pairKey(selected) !== pairKey(this.metrics.selectedPair);
    this.metrics.selectedPair = selected;
    if (changedPair) this.#event('selected_pair', selected);
    this.#changed();
    return selected;
  }

  async #createConnection() {
    if (this.#pc) return;
    if (this.#config.loopback) await ensureLoopbackPermission(this.#log);
    if (this.#closed) return; // closed while waiting for the permission: build nothing
    const configuration = { iceServers: this.#config.iceServers };
    if (this.#config.relayOnly) configuration.iceTransportPolicy = 'relay';
    const pc = new RTCPeerConnection(configuration);
    this.#pc = pc;
    this.#event('connection_created', {
      role: this.initiator ? 'initiator' : 'answerer',
      iceServers: this.#config.iceServers.length,
      iceTransportPolicy: configuration.iceTransportPolicy ?? 'all',
      loopback: this.#config.loopback,
    });
    pc.addEventListener('signalingstatechange', () => this.#track('signaling', pc.signalingState));
    pc.addEventListener('icegatheringstatechange', () => this.#track('iceGathering', pc.iceGatheringState));
    pc.addEventListener('iceconnectionstatechange', () => this.#track('iceConnection', pc.iceConnectionState));
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
        this.#event('unexpected_channel', { label: event.channel.label }, 'warn');
        return;
      }
      this.#adoptChannel(event.channel);
    });
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
      this.#statsTimer = setInterval(() => this.refreshSelectedPair().catch(() => {}), 2000);
    };
    channel.addEventListener('open', onOpen);
    if (channel.readyState === 'open') onOpen();
    else this.#track('channel', channel.readyState);
    channel.addEventListener('close', () => {
      clearInterval(this.#statsTimer);
      this.#track('channel', 'closed');
    });
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
    });
    channel.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') {
        this.#event('binary_message_ignored', {}, 'warn');
        return;
      }
      this.metrics.received++;
      this.#changed();
      this.dispatchEvent(new CustomEvent('message', { detail: event.data }));
    });
    this.#sender.attach(channel);
  }

  async #applyDescription(type, message) {
    const sdp = sdpOf(message);
    if (sdp === null) throw new Error(`${type} without sdp`);
    await this.#pc.setRemoteDescription({ type, sdp });
    this.#event(`remote_${type}_applied`, { sdpLength: sdp.length });
    for (const candidate of this.#pendingCandidates.splice(0)) await this.#addCandidate(candidate);
    if (type === 'offer') {
      const answer = await this.#pc.createAnswer();
      await this.#pc.setLocalDescription(answer);
      this.#sendDescription('answer');
    }
  }

  async #applyCandidate(message) {
    const candidate = candidateOf(message);
    if (!candidate) return;
    this.metrics.candidatesReceived++;
    if (!this.#pc.remoteDescription) {
      this.#pendingCandidates.push(candidate);
      return;
    }
    await this.#addCandidate(candidate);
  }

  async #addCandidate(candidate) {
    try {
      await this.#pc.addIceCandidate(candidate);
    } catch (error) {
      this.metrics.errors++;
      this.#event('remote_candidate_rejected', { candidate: candidate.candidate, error: error.message }, 'warn');
    }
  }

  #sendDescription(type) {
    let sdp = this.#pc.localDescription.sdp;
    if (this.#config.loopback) sdp = keepLoopbackCandidates(sdp);
    this.#config.signal(descriptionMessage(type, sdp));
  }

  #sendCandidate(candidate) {
    if (!candidate || !candidate.candidate) {
      this.#event('gathering_complete', { sent: this.metrics.candidatesSent, withheld: this.metrics.candidatesWithheld });
      return;
    }
    if (this.#config.loopback && !isLoopbackCandidate(candidate.candidate)) {
      this.metrics.candidatesWithheld++;
      this.#event('candidate_withheld', { address: candidateAddress(candidate.candidate), reason: 'loopback mode' });
      return;
    }
    this.metrics.candidatesSent++;
    this.#config.signal(candidateMessage(candidate));
  }

  #enqueue(step, work) {
    this.#chain = this.#chain.then(async () => {
      if (this.#closed) return;
      try {
        await work();
      } catch (error) {
        this.metrics.errors++;
        this.#event('step_failed', { step, error: error.message }, 'error');
      }
    });
    return this.#chain;
  }

  #track(key, value) {
    if (this.#closed || this.state[key] === value) return;
    this.state[key] = value;
    this.#event(`${key}_state`, { state: value });
  }

  #event(kind, detail = {}, level = 'info') {
    this.#log.add(this.peerId, kind, detail, level);
    this.#changed();
  }

  #changed() {
    this.dispatchEvent(new CustomEvent('change'));
  }
}

/** `address:port` of a candidate stat; Chromium hides the address of peer-reflexive remote candidates. */
function endpoint(candidate) {
  if (!candidate) return null;
  return `${candidate.address || candidate.ip || '(hidden)'}:${candidate.port}`;
}

export function shortId(id) {
  return id ? id.slice(0, 8) : '?';
}
