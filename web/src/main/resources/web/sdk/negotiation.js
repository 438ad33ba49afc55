// Offer/answer for one RTCPeerConnection, without glare: the W3C "perfect negotiation" pattern
// (https://w3c.github.io/webrtc-pc/#perfect-negotiation-example). Whenever the connection needs
// negotiating (a data channel, a track added or removed, an ICE restart) this side offers; when offers
// cross, the impolite side ignores the other's offer and the polite side rolls its own back and answers.
// Both sides agree on who is polite without talking: see `isPolite`.
//
// Remote messages are applied one after another on a promise chain, so an answer or a candidate never
// overtakes the description it depends on; candidates that arrive before any remote description wait.
// Page thread only.

import { candidateOf, sdpOf } from './wire.js';

/**
 * The polite side of a pair: the one with the greater id (the same rule the Java SDK applies to crossing
 * offers: "the greater id yields and answers"). Both ends compute it from the two ids alone.
 */
export function isPolite(myId, peerId) {
  return String(myId) > String(peerId);
}

/** At most this many remote candidates wait for a remote description. */
const MAX_PENDING_CANDIDATES = 200;

export class Negotiator {
  #pc;
  #polite;
  #sendDescription;
  #event;
  #chain = Promise.resolve();
  #pending = [];
  #makingOffer = false;
  #ignoreOffer = false;
  #closed = false;

  /**
   * @param pc               the RTCPeerConnection
   * @param polite           see isPolite
   * @param sendDescription  (RTCSessionDescription) => void, sends our offer or answer
   * @param event            (kind, detail, level) for the log
   */
  constructor({ pc, polite, sendDescription, event }) {
    this.#pc = pc;
    this.#polite = polite;
    this.#sendDescription = sendDescription;
    this.#event = event;
    pc.addEventListener('negotiationneeded', () => this.#offer());
  }

  get polite() {
    return this.#polite;
  }

  /** Applies one relayed `offer`, `answer`, `candidate` or `ice_candidate`. Never rejects. */
  handle(message) {
    const type = message.type === 'ice_candidate' ? 'candidate' : message.type;
    this.#chain = this.#chain.then(async () => {
      if (this.#closed) return;
      try {
        if (type === 'offer' || type === 'answer') await this.#applyDescription(type, message);
        else if (type === 'candidate') await this.#applyCandidate(message);
      } catch (error) {
        if (!this.#closed) this.#event('step_failed', { step: `handle_${type}`, error: error.message }, 'error');
      }
    });
    return this.#chain;
  }

  close() {
    this.#closed = true;
    this.#pending.length = 0;
  }

  async #offer() {
    if (this.#closed) return;
    try {
      this.#makingOffer = true;
      await this.#pc.setLocalDescription();
      if (this.#closed) return;
      this.#event('local_offer_created', { signalingState: this.#pc.signalingState });
      this.#sendDescription(this.#pc.localDescription);
    } catch (error) {
      if (!this.#closed) this.#event('step_failed', { step: 'offer', error: error.message }, 'error');
    } finally {
      this.#makingOffer = false;
    }
  }

  async #applyDescription(type, message) {
    const sdp = sdpOf(message);
    if (sdp === null) throw new Error(`${type} without sdp`);
    const pc = this.#pc;
    const collision = type === 'offer' && (this.#makingOffer || pc.signalingState !== 'stable');
    this.#ignoreOffer = !this.#polite && collision;
    if (this.#ignoreOffer) {
      this.#event('glare_offer_ignored', { note: 'impolite: our offer stands' }, 'warn');
      return;
    }
    if (collision) this.#event('glare_rollback', { note: 'polite: our offer rolled back, answering theirs' }, 'warn');
    await pc.setRemoteDescription({ type, sdp }); // rolls our offer back implicitly when polite
    if (this.#closed) return;
    this.#event(`remote_${type}_applied`, { sdpLength: sdp.length });
    for (const candidate of this.#pending.splice(0)) await this.#addCandidate(candidate);
    if (type === 'offer') {
      await pc.setLocalDescription();
      if (this.#closed) return;
      this.#sendDescription(pc.localDescription);
    }
  }

  async #applyCandidate(message) {
    const candidate = candidateOf(message);
    if (!candidate) return;
    this.#event('remote_candidate', {}, 'debug');
    if (!this.#pc.remoteDescription) {
      if (this.#pending.length < MAX_PENDING_CANDIDATES) this.#pending.push(candidate);
      return;
    }
    await this.#addCandidate(candidate);
  }

  async #addCandidate(candidate) {
    try {
      await this.#pc.addIceCandidate(candidate);
    } catch (error) {
      // Candidates of an offer we ignored fail by design; anything else is worth a line in the log.
      if (!this.#ignoreOffer) this.#event('remote_candidate_rejected', { candidate: candidate.candidate, error: error.message }, 'warn');
    }
  }
}
