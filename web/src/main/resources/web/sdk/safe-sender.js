// Safe send over one RTCDataChannel (seed 003; the same semantics as the Java SDK's PeerSession):
// - before the channel is open, messages queue, bounded in count and bytes, each with an expiry;
// - on open the queue flushes in order, then later sends go straight out;
// - flow control: above `highWaterMark` buffered bytes, sends wait in the queue until `bufferedamountlow`;
// - after close every send is refused with a reason, and whatever was still queued is dropped and reported;
// - `channel.send` is never called unless `readyState === 'open'`; nothing ever throws at the caller.
// Runs on the page's single thread; the clock is injectable so tests drive expiry without waiting.

/** What became of a message: at once (any), or when a queued one settles (SENT or REFUSED). */
export const Outcome = Object.freeze({
  SENT: 'sent',
  QUEUED: 'queued',
  REFUSED: 'refused',
});

/** Why a message was refused: the same reasons as the Java SDK's RefusalReason. */
export const Refusal = Object.freeze({
  CLOSED: 'closed',
  QUEUE_FULL: 'queue_full',
  EXPIRED: 'expired',
  TOO_LARGE: 'too_large',
  SEND_FAILED: 'send_failed',
});

/** The Java SDK's SendPolicy.DEFAULT. */
export const DEFAULT_LIMITS = Object.freeze({
  maxQueuedMessages: 10_000,
  maxQueuedBytes: 16 * 1024 * 1024,
  queueExpiryMs: 30_000,
  highWaterMark: 1024 * 1024,
  lowWaterMark: 256 * 1024,
  maxMessageBytes: 256 * 1024, // libwebrtc's default SCTP max-message-size
});

const encoder = new TextEncoder();

export class SafeSender {
  #limits;
  #now;
  #onEvent;
  #channel = null;
  #closedReason = null;
  #queue = [];
  #queuedBytes = 0;
  #expiryTimer = null;

  /**
   * @param limits   overrides of DEFAULT_LIMITS
   * @param now      clock in milliseconds (performance.now by default)
   * @param onEvent  (kind, detail) for the event log: 'flushed', 'expired', 'dropped', 'send_failed'
   */
  constructor({ limits = {}, now = () => performance.now(), onEvent = () => {} } = {}) {
    this.#limits = { ...DEFAULT_LIMITS, ...limits };
    this.#now = now;
    this.#onEvent = onEvent;
  }

  get queuedCount() {
    return this.#queue.length;
  }

  get queuedBytes() {
    return this.#queuedBytes;
  }

  get closedReason() {
    return this.#closedReason;
  }

  /** Adopts the channel (created or received); flushes at once if it is already open. */
  attach(channel) {
    if (this.#closedReason) return;
    this.#channel = channel;
    channel.bufferedAmountLowThreshold = this.#limits.lowWaterMark;
    channel.addEventListener('open', () => this.#flush());
    channel.addEventListener('bufferedamountlow', () => this.#flush());
    channel.addEventListener('close', () => this.close('data channel closed'));
    if (channel.readyState === 'open') this.#flush();
  }

  /**
   * Sends, queues or refuses one text message. Returns `{outcome, code?, reason?}` at once; for a queued
   * message, `onSettled({outcome, code?, reason?})` reports later whether it was sent or refused (expired,
   * closed). Every message settles exactly once: nothing is lost silently.
   */
  send(text, onSettled = () => {}) {
    if (this.#closedReason) return refused(Refusal.CLOSED, this.#closedReason);
    const bytes = encoder.encode(text).length;
    if (bytes > this.#limits.maxMessageBytes) {
      return refused(Refusal.TOO_LARGE, `message is ${bytes} bytes; the limit is ${this.#limits.maxMessageBytes}`);
    }
    if (this.#canSendNow()) {
      return this.#transmit(text) ?? { outcome: Outcome.SENT };
    }
    this.#expire();
    if (this.#queue.length >= this.#limits.maxQueuedMessages) {
      return refused(Refusal.QUEUE_FULL, `send queue full (${this.#limits.maxQueuedMessages} messages)`);
    }
    if (this.#queuedBytes + bytes > this.#limits.maxQueuedBytes) {
      return refused(Refusal.QUEUE_FULL, `send queue full (${this.#limits.maxQueuedBytes} bytes)`);
    }
    this.#queue.push({ text, bytes, queuedAt: this.#now(), onSettled });
    this.#queuedBytes += bytes;
    this.#armExpiry();
    return { outcome: Outcome.QUEUED };
  }

  /** Drops expired messages now (also runs on its own timer while anything is queued). */
  expireNow() {
    this.#expire();
  }

  /** Ends the sender: later sends are refused with `reason`, queued messages are dropped and reported. */
  close(reason = 'closed') {
    if (this.#closedReason) return;
    this.#closedReason = reason;
    this.#disarmExpiry();
    const dropped = this.#queue.splice(0);
    this.#queuedBytes = 0;
    if (dropped.length) this.#onEvent('dropped', { count: dropped.length, reason });
    for (const message of dropped) settle(message, { outcome: Outcome.REFUSED, code: Refusal.CLOSED, reason });
  }

  #isOpen() {
    return this.#channel !== null && this.#channel.readyState === 'open';
  }

  #canSendNow() {
    return this.#isOpen() && this.#queue.length === 0 && this.#channel.bufferedAmount < this.#limits.highWaterMark;
  }

  /** Calls channel.send on an open channel; returns a refusal if the browser still throws (e.g. closing race). */
  #transmit(text) {
    try {
      this.#channel.send(text);
      return null;
    } catch (error) {
      const reason = `send failed: ${error.message}`;
      this.#onEvent('send_failed', { reason });
      return refused(Refusal.SEND_FAILED, reason);
    }
  }

  #flush() {
    this.#expire();
    let flushed = 0;
    while (this.#queue.length && this.#isOpen() && this.#channel.bufferedAmount < this.#limits.highWaterMark) {
      const message = this.#queue.shift();
      this.#queuedBytes -= message.bytes;
      const failure = this.#transmit(message.text);
      settle(message, failure ?? { outcome: Outcome.SENT });
      if (!failure) flushed++;
    }
    if (flushed) this.#onEvent('flushed', { count: flushed, remaining: this.#queue.length });
    if (!this.#queue.length) this.#disarmExpiry();
  }

  #expire() {
    const deadline = this.#now() - this.#limits.queueExpiryMs;
    let expired = 0;
    while (this.#queue.length && this.#queue[0].queuedAt <= deadline) {
      const message = this.#queue.shift();
      this.#queuedBytes -= message.bytes;
      settle(message, { outcome: Outcome.REFUSED, code: Refusal.EXPIRED, reason: `not sent within ${this.#limits.queueExpiryMs} ms` });
      expired++;
    }
    if (expired) this.#onEvent('expired', { count: expired });
  }

  #disarmExpiry() {
    clearTimeout(this.#expiryTimer);
    this.#expiryTimer = null;
  }

  #armExpiry() {
    if (this.#expiryTimer !== null || typeof setTimeout !== 'function') return;
    this.#expiryTimer = setTimeout(() => {
      this.#expiryTimer = null;
      this.#expire();
      if (this.#queue.length) this.#armExpiry();
    }, this.#limits.queueExpiryMs / 4);
  }
}

function refused(code, reason) {
  return { outcome: Outcome.REFUSED, code, reason };
}

function settle(message, result) {
  try {
    message.onSettled(result);
  } catch (error) {
    console.error('onSettled callback failed', error);
  }
}
