// The signaling connection (protocol v1.1): one WebSocket at a time, one JSON object per text frame.
// It answers the server's pings itself and dispatches every other frame as an event named after its
// `type` (plus a generic 'message' event). Nothing else in the SDK touches the WebSocket.
//
// Session resume (protocol v1.1, "Resume"), on by default: the URL carries `resumable=1`; the
// `resume_token` of `your_id` is kept (never logged); both sides count text frames. When the socket
// closes without a close frame from the server (code 1006) or by the keepalive (4008), the session is
// not over: state 'resuming', event 'lost', then attempts with a jittered exponential backoff, each a new
// WebSocket on the same URL plus `resume=1` whose first frame is `{type:'resume', id, resume_token,
// received}`. Messages sent meanwhile wait (bounded) and go out, with those the server did not read,
// in order after `resumed` (event 'resumed' {replayed, resent}). `resume_failed` means a fresh session:
// what waited is dropped, the connection is admitted anew, and 'resumefailed' {id, reason} follows the
// new `your_id`.
//
// Half-open watchdog: a WebSocket can stay 'open' while nothing gets through (a stalled NAT, a Wi-Fi that
// went away without a reset). The server pings every `ping_interval_ms` of `your_id` whatever else it
// sends, so a socket that hears no frame for longer than that interval plus a slack (half the interval,
// at least 1 s) is dead: it is abandoned without a close frame (a close frame would end the session on
// the server) and the session resumes on a new socket exactly as after a reset (event 'lost' with code
// 4008); the old socket is closed once the session is resumed or over. Everything above this class calls `connect()`, `send()`, `close()` and listens to
// message-type events, 'closed' (final), 'lost', 'resuming', 'resumed', 'resumefailed'.
//
// Lifecycle: idle → connecting → open ⇄ resuming → closed; `connect()` once per instance. Page thread only.

/** A logger that drops everything: the default when the application passes none. */
export const SILENT_LOGGER = Object.freeze({ add() {} });

/** Most frames kept for a resend, and most waiting while the connection is away. */
const MAX_KEPT = 1024;
const BACKOFF = { baseMs: 250, capMs: 2000 };

export class SignalingConnection extends EventTarget {
  #url;
  #socket = null;
  #log;
  #state = 'idle';
  #resumable;
  #backoff;
  #closing = false;
  #token = null; // resume_token: the credential of a resume, never logged
  #id = null;
  #received = 0; // frames received on the resumable session
  #counting = false;
  #seq = 0; // frames sent on the session (the server counts the same)
  #kept = []; // {seq, text, written}: sent frames the server may not have read yet
  #attempt = 0;
  #timer = null;
  #resumeFailure = null;
  #stats = { lost: 0, resumes: 0, replayed: 0, resent: 0, failures: 0, halfOpen: 0 };
  #watchdog; // {enabled, slackMs}
  #watch = { limitMs: 0, heardAt: 0, timer: null };
  #abandoned = []; // half-open sockets left without a close frame, closed once the session is safe

  /**
   * @param url     the ws:// or wss:// URL, query included
   * @param logger  `{add(scope, kind, detail, level)}`
   * @param options `{resumable = true, backoff = {baseMs, capMs}, watchdog = {enabled = true, slackMs}}`
   */
  constructor(url, logger = SILENT_LOGGER, options = {}) {
    super();
    this.#url = url;
    this.#log = logger;
    this.#resumable = options.resumable !== false;
    this.#backoff = { ...BACKOFF, ...(options.backoff ?? {}) };
    this.#watchdog = options.watchdog === false ? { enabled: false } : { enabled: true, ...(options.watchdog ?? {}) };
  }

  get url() {
    return this.#url;
  }

  /** idle → connecting → open ⇄ resuming → closed */
  get state() {
    return this.#state;
  }

  /** Whether the server granted resume (a token in `your_id`). */
  get resumable() {
    return this.#token !== null;
  }

  /** Counters of this connection's blips: {lost, resumes, replayed, resent, failures, halfOpen}. */
  get resumeStats() {
    return { ...this.#stats };
  }

  connect() {
    if (this.#state !== 'idle') return;
    this.#setState('connecting');
    this.#log.add('signaling', 'connecting', { url: redactUrl(this.#url) });
    this.#open(false);
  }

  #open(resuming) {
    const url = withQuery(this.#url, this.#resumable ? (resuming ? ['resumable=1', 'resume=1'] : ['resumable=1']) : []);
    let socket;
    try {
      socket = new WebSocket(url);
    } catch (error) {
      // A malformed URL throws synchronously: report it as a close, never at the caller.
      this.#log.add('signaling', 'socket_error', { error: error.message }, 'error');
      this.#closed({ code: 1006, reason: error.message, wasClean: false });
      return;
    }
    this.#socket = socket;
    const answer = { pending: resuming }; // a resume=1 socket: its first frame answers the resume
    socket.addEventListener('open', () => {
      if (socket !== this.#socket) return;
      if (resuming) {
        socket.send(JSON.stringify({ type: 'resume', id: this.#id, resume_token: this.#token, received: this.#received }));
        return;
      }
      this.#setState('open');
      this.#log.add('signaling', 'open', { url: redactUrl(this.#url) });
    });
    socket.addEventListener('message', (event) => {
      if (socket !== this.#socket) return;
      this.#watch.heardAt = performance.now();
      this.#receive(event.data, answer);
    });
    socket.addEventListener('error', () => {
      if (socket === this.#socket && !resuming) this.#log.add('signaling', 'socket_error', { url: redactUrl(this.#url) }, 'error');
    });
    socket.addEventListener('close', (event) => {
      if (socket !== this.#socket) return; // an old socket, replaced by a resume
      this.#lost({ code: event.code, reason: event.reason, wasClean: event.wasClean });
    });
  }

  /**
   * Sends one message. While the session is being resumed it waits and goes out after `resumed`.
   * Returns false (and logs why) when it cannot be sent or kept. Never throws.
   */
  send(message) {
    const text = JSON.stringify(message);
    const open = this.#socket && this.#socket.readyState === WebSocket.OPEN
      && (this.#state === 'open' || (this.#state === 'connecting' && this.#id === null));
    if (message.type === 'auth_token' || !this.#resumable) {
      // auth_token is never counted (the count starts after it), nor kept for a resend.
      if (!open) return this.#refused(message, 'signaling not connected');
      this.#socket.send(text);
    } else {
      // Only a session being resumed queues; before admission a send is refused as in v1.
      if (!open && this.#state !== 'resuming') return this.#refused(message, 'signaling not connected');
      if (this.#kept.filter((f) => !f.written).length >= MAX_KEPT) return this.#refused(message, 'too many messages waiting for the connection');
      const frame = { seq: ++this.#seq, text, written: false };
      this.#kept.push(frame);
      if (open) this.#write(frame);
    }
    if (message.type !== 'pong' && message.type !== 'candidate') {
      this.#log.add('signaling', open ? `sent_${message.type}` : `queued_${message.type}`, summarize(message));
    }
    return true;
  }

  #refused(message, reason) {
    this.#log.add('signaling', 'send_refused', { type: message.type, reason }, 'warn');
    return false;
  }

  #write(frame) {
    this.#socket.send(frame.text);
    frame.written = true;
    // Written frames beyond the bound are forgotten, oldest first: the server read them long ago.
    while (this.#kept.length > MAX_KEPT && this.#kept[0].written) this.#kept.shift();
  }

  /** Closes with 1000 (a departure the server reports to the others at once). */
  close() {
    this.#closing = true;
    clearTimeout(this.#timer);
    if (this.#state === 'resuming') {
      if (this.#socket && this.#socket.readyState <= WebSocket.OPEN) this.#socket.close(1000, 'bye');
      this.#closed({ code: 1000, reason: 'closed while resuming', wasClean: true });
      return;
    }
    if (this.#socket && this.#socket.readyState <= WebSocket.OPEN) this.#socket.close(1000, 'bye');
  }

  #lost(detail) {
    const detaches = detail.code === 1006 || detail.code === 4008;
    if (this.#state === 'closed') return;
    this.#disarm();
    if (this.#closing || !this.#token || !(detaches || this.#state === 'resuming')) {
      this.#closed(detail);
      return;
    }
    this.#counting = false;
    if (this.#state !== 'resuming') {
      this.#stats.lost++;
      this.#setState('resuming');
      this.#log.add('signaling', 'lost', { code: detail.code, resuming: true }, 'warn');
      this.dispatchEvent(new CustomEvent('lost', { detail }));
    }
    this.#attempt++;
    const upper = Math.min(this.#backoff.baseMs * 2 ** Math.min(this.#attempt - 1, 20), this.#backoff.capMs);
    const delay = upper / 2 + Math.random() * (upper / 2); // jitter in the upper half
    const attempt = this.#attempt;
    this.#timer = setTimeout(() => {
      if (this.#state !== 'resuming' || this.#closing) return;
      this.#log.add('signaling', 'resuming', { attempt });
      this.dispatchEvent(new CustomEvent('resuming', { detail: { attempt } }));
      this.#open(true);
    }, delay);
  }

  #closed(detail) {
    if (this.#state === 'closed') return;
    clearTimeout(this.#timer);
    this.#disarm();
    this.#closeAbandoned();
    this.#kept = [];
    this.#setState('closed');
    this.#log.add('signaling', 'closed', detail, detail.code === 1000 ? 'info' : 'warn');
    this.dispatchEvent(new CustomEvent('closed', { detail }));
  }

  #receive(data, answer) {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      message = null;
    }
    if (answer.pending) {
      answer.pending = false;
      if (message?.type === 'resumed') {
        this.#resumed(message);
        return;
      }
      this.#resumeRefused(message);
    } else if (this.#counting) {
      this.#received++;
    }
    if (!message) {
      this.#log.add('signaling', 'invalid_frame', { length: String(data).length }, 'warn');
      return;
    }
    if (typeof message.type !== 'string') {
      this.#log.add('signaling', 'invalid_frame', { reason: 'no type' }, 'warn');
      return;
    }
    if (message.type === 'ping') {
      this.send({ type: 'pong' });
      return;
    }
    if (message.type === 'your_id') this.#admitted(message);
    if (message.type !== 'candidate' && message.type !== 'ice_candidate' && message.type !== 'pong') {
      this.#log.add('signaling', `received_${message.type}`, summarize(message), message.type === 'error' ? 'warn' : 'info');
    }
    if (message.type === 'error' && message.code === 'resume_failed') return; // reported after the new your_id
    this.dispatchEvent(new CustomEvent(message.type, { detail: message }));
    this.dispatchEvent(new CustomEvent('message', { detail: message }));
    if (message.type === 'your_id' && this.#resumeFailure !== null) {
      const reason = this.#resumeFailure;
      this.#resumeFailure = null;
      this.dispatchEvent(new CustomEvent('resumefailed', { detail: { id: message.id, reason } }));
    }
  }

  #admitted(message) {
    this.#id = message.id;
    const interval = Number(message.ping_interval_ms);
    const slack = Number(this.#watchdog.slackMs ?? Math.max(1000, interval / 2));
    this.#watch.limitMs = this.#watchdog.enabled && interval > 0 ? interval + slack : 0;
    this.#arm();
    this.#closeAbandoned(); // after a failed resume the old session is over: nothing to end there
    if (this.#resumable && typeof message.resume_token === 'string') {
      this.#token = message.resume_token;
      this.#received = 0;
      this.#counting = true;
    } else {
      this.#token = null;
    }
    if (this.#state !== 'open') this.#setState('open');
    for (const frame of this.#kept) if (!frame.written) this.#write(frame);
  }

  #resumed(message) {
    this.#token = message.resume_token;
    const received = Number(message.received) || 0;
    this.#kept = this.#kept.filter((f) => f.seq > received);
    if (this.#kept.length && this.#kept[0].seq !== received + 1) {
      this.#log.add('signaling', 'resume_gap', { received, oldestKept: this.#kept[0].seq }, 'error');
    }
    this.#counting = true;
    this.#attempt = 0;
    const resent = this.#kept.length;
    this.#setState('open');
    this.#arm();
    this.#closeAbandoned(); // the server has closed their connections (4009): nothing to end there now
    for (const frame of this.#kept) this.#write(frame);
    const replayed = Number(message.replayed) || 0;
    this.#stats.resumes++;
    this.#stats.replayed += replayed;
    this.#stats.resent += resent;
    this.#log.add('signaling', 'resumed', { replayed, resent });
    this.dispatchEvent(new CustomEvent('resumed', { detail: { replayed, resent } }));
  }

  #resumeRefused(message) {
    const reason = message?.message ?? 'the server did not resume the session';
    this.#stats.failures++;
    this.#token = null;
    this.#counting = false;
    this.#received = 0;
    this.#seq = 0;
    this.#kept = [];
    this.#attempt = 0;
    this.#id = null;
    this.#resumeFailure = reason;
    this.#setState('connecting');
    this.#log.add('signaling', 'resume_failed', { reason }, 'warn');
  }

  /** (Re)starts the half-open watchdog: silence counts from now. */
  #arm() {
    this.#disarm();
    if (!this.#watch.limitMs) return;
    this.#watch.heardAt = performance.now();
    this.#watch.timer = setTimeout(() => this.#checkSilence(), this.#watch.limitMs);
  }

  #disarm() {
    clearTimeout(this.#watch.timer);
    this.#watch.timer = null;
  }

  // One timer, moved on lazily: a frame only records when it came, the timer looks when it fires.
  #checkSilence() {
    this.#watch.timer = null;
    if (this.#state !== 'open' || !this.#socket) return;
    const silentMs = performance.now() - this.#watch.heardAt;
    if (silentMs < this.#watch.limitMs) {
      this.#watch.timer = setTimeout(() => this.#checkSilence(), this.#watch.limitMs - silentMs);
      return;
    }
    // Half-open: abandon the socket without a close frame (the server would end the session on one).
    const socket = this.#socket;
    this.#socket = null;
    this.#abandoned.push(socket);
    this.#stats.halfOpen++;
    const reason = `no frame from the server for ${Math.round(silentMs)} ms`;
    this.#log.add('signaling', 'half_open', { silentMs: Math.round(silentMs), limitMs: this.#watch.limitMs }, 'warn');
    this.#lost({ code: 4008, reason, wasClean: false });
  }

  #closeAbandoned() {
    for (const socket of this.#abandoned) {
      try {
        if (socket.readyState <= WebSocket.OPEN) socket.close(1000, 'abandoned');
      } catch {
        // closing a socket that is going away anyway: nothing to report
      }
    }
    this.#abandoned = [];
  }

  #setState(state) {
    this.#state = state;
    this.dispatchEvent(new CustomEvent('statechange', { detail: state }));
  }
}

function withQuery(url, params) {
  if (!params.length) return url;
  return url + (url.includes('?') ? '&' : '?') + params.join('&');
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
