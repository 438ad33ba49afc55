// The signaling connection (protocol v1): one WebSocket, one JSON object per text frame.
// It answers the server's pings itself and dispatches every other frame as an event named after its
// `type` (plus a generic 'message' event). Nothing else in the SDK touches the WebSocket.
//
// This is the seam for session resume (protocol v1.1, "Resume"): a resumable connection would add
// `resumable=1` to the URL, keep the `resume_token` from `your_id`, count the frames sent and received,
// and on a drop reconnect with `resume=1` + a `resume` frame, replaying what the server did not read.
// Everything above this class only calls `connect()`, `send()`, `close()` and listens to message-type
// events and 'closed', so a ResumableSignaling with the same surface can replace it without changes
// elsewhere. (Not implemented yet.)
//
// Lifecycle: idle → connecting → open → closed; `connect()` once per instance. Page thread only.

/** A logger that drops everything: the default when the application passes none. */
export const SILENT_LOGGER = Object.freeze({ add() {} });

export class SignalingConnection extends EventTarget {
  #url;
  #socket = null;
  #log;
  #state = 'idle';

  /**
   * @param url     the ws:// or wss:// URL, query included
   * @param logger  `{add(scope, kind, detail, level)}`
   */
  constructor(url, logger = SILENT_LOGGER) {
    super();
    this.#url = url;
    this.#log = logger;
  }

  get url() {
    return this.#url;
  }

  /** idle → connecting → open → closed */
  get state() {
    return this.#state;
  }

  connect() {
    if (this.#state !== 'idle') return;
    this.#setState('connecting');
    this.#log.add('signaling', 'connecting', { url: redactUrl(this.#url) });
    let socket;
    try {
      socket = new WebSocket(this.#url);
    } catch (error) {
      // A malformed URL throws synchronously: report it as a close, never at the caller.
      this.#log.add('signaling', 'socket_error', { error: error.message }, 'error');
      this.#closed({ code: 1006, reason: error.message, wasClean: false });
      return;
    }
    this.#socket = socket;
    socket.addEventListener('open', () => {
      this.#setState('open');
      this.#log.add('signaling', 'open', { url: redactUrl(this.#url) });
    });
    socket.addEventListener('message', (event) => this.#receive(event.data));
    socket.addEventListener('error', () => {
      this.#log.add('signaling', 'socket_error', { url: redactUrl(this.#url) }, 'error');
    });
    socket.addEventListener('close', (event) => {
      this.#closed({ code: event.code, reason: event.reason, wasClean: event.wasClean });
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

  /** Closes with 1000 (a departure the server reports to the others at once). */
  close() {
    if (this.#socket && this.#socket.readyState <= WebSocket.OPEN) this.#socket.close(1000, 'bye');
  }

  #closed(detail) {
    if (this.#state === 'closed') return;
    this.#setState('closed');
    this.#log.add('signaling', 'closed', detail, detail.code === 1000 ? 'info' : 'warn');
    this.dispatchEvent(new CustomEvent('closed', { detail }));
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
    if (key === 'token' || key === 'resume_token') copy[key] = '…';
    else if (key === 'sdp' && typeof value === 'string') copy[key] = `${value.length} chars`;
    else if ((key === 'offer' || key === 'answer') && value && typeof value === 'object') copy[key] = { type: value.type };
    else copy[key] = value;
  }
  return copy;
}

function redactUrl(url) {
  return url.replace(/([?&]token=)[^&]*/, '$1…');
}
