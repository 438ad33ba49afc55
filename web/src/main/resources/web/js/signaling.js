// The WebSocket signaling connection (protocol v1): one JSON object per text frame.
// Answers the server's pings itself; every other frame is dispatched as an event named after its `type`
// (plus a generic 'message' event). Page thread only.

export class SignalingConnection extends EventTarget {
  #url;
  #socket = null;
  #log;
  #state = 'idle';

  constructor(url, log) {
    super();
    this.#url = url;
    this.#log = log;
  }

  get url() {
    return this.#url;
  }

  /** idle → connecting → open → closed */
  get state() {
    return this.#state;
  }

  connect() {
    this.#setState('connecting');
    this.#log.add('signaling', 'connecting', { url: this.#url });
    const socket = new WebSocket(this.#url);
    this.#socket = socket;
    socket.addEventListener('open', () => {
      this.#setState('open');
      this.#log.add('signaling', 'open', { url: this.#url });
    });
    socket.addEventListener('message', (event) => this.#receive(event.data));
    socket.addEventListener('error', () => {
      this.#log.add('signaling', 'socket_error', { url: this.#url }, 'error');
    });
    socket.addEventListener('close', (event) => {
      this.#setState('closed');
      const detail = { code: event.code, reason: event.reason, wasClean: event.wasClean };
      this.#log.add('signaling', 'closed', detail, event.code === 1000 ? 'info' : 'warn');
      this.dispatchEvent(new CustomEvent('closed', { detail }));
    });
  }

  /** Sends one message; returns false (and logs why) when the socket is not open. Never throws. */
  send(message) {
    if (!this.#socket || this.#socket.readyState !== WebSocket.OPEN) {
      this.#log.add('signaling', 'send_refused', { type: message.type, reason: 'signaling not connected' }, 'warn');
      return false;
    }
    this.#socket.send(JSON.stringify(message));
    if (message.type !== 'pong' && message.type !== 'candidate') {
      this.#log.add('signaling', `sent_${message.type}`, summarize(message));
    }
    return true;
  }

  close() {
    if (this.#socket && this.#socket.readyState <= WebSocket.OPEN) this.#socket.close(1000, 'bye');
  }

  #receive(data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      this.#log.add('signaling', 'invalid_frame', { length: String(data).length }, 'warn');
      return;
    }
    if (!message || typeof message.type !== 'string') {
      this.#log.add('signaling', 'invalid_frame', { reason: 'no type' }, 'warn');
      return;
    }
    if (message.type === 'ping') {
      this.send({ type: 'pong' });
      return;
    }
    if (message.type !== 'candidate' && message.type !== 'ice_candidate' && message.type !== 'pong') {
      this.#log.add('signaling', `received_${message.type}`, summarize(message), message.type === 'error' ? 'warn' : 'info');
    }
    this.dispatchEvent(new CustomEvent(message.type, { detail: message }));
    this.dispatchEvent(new CustomEvent('message', { detail: message }));
  }

  #setState(state) {
    this.#state = state;
    this.dispatchEvent(new CustomEvent('statechange', { detail: state }));
  }
}

/** A log-friendly copy of a signaling message: SDPs and tokens are shortened, never logged whole. */
function summarize(message) {
  const copy = {};
  for (const [key, value] of Object.entries(message)) {
    if (key === 'token') copy[key] = '…';
    else if (key === 'sdp' && typeof value === 'string') copy[key] = `${value.length} chars`;
    else if ((key === 'offer' || key === 'answer') && value && typeof value === 'object') copy[key] = { type: value.type };
    else copy[key] = value;
  }
  return copy;
}
