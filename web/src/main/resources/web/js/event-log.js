// The timestamped event log behind the dashboard (seed 003), exportable as one JSON file.
// Bounded: the oldest entries go first once `capacity` is reached. Page thread only.

export class EventLog extends EventTarget {
  #entries = [];
  #capacity;
  #origin = performance.now();
  #dropped = 0;

  constructor(capacity = 5000) {
    super();
    this.#capacity = capacity;
  }

  /**
   * Records one event. `scope` is 'signaling', 'app' or a peer id; `kind` a short snake_case name;
   * `detail` any JSON-serialisable object.
   */
  add(scope, kind, detail = {}, level = 'info') {
    const entry = {
      time: new Date().toISOString(),
      elapsedMs: Math.round(performance.now() - this.#origin),
      level,
      scope,
      kind,
      detail,
    };
    this.#entries.push(entry);
    if (this.#entries.length > this.#capacity) {
      this.#entries.shift();
      this.#dropped++;
    }
    const method = level === 'error' ? 'error' : level === 'warn' ? 'warn' : 'debug';
    console[method](`[rendezvous] ${scope} ${kind}`, detail);
    this.dispatchEvent(new CustomEvent('entry', { detail: entry }));
    return entry;
  }

  get entries() {
    return this.#entries;
  }

  clear() {
    this.#entries = [];
    this.#dropped = 0;
    this.dispatchEvent(new CustomEvent('cleared'));
  }

  /** The export document: the log plus a snapshot of the session it describes. */
  exportDocument(session) {
    return {
      format: 'rendezvous-debug-log',
      version: 1,
      exportedAt: new Date().toISOString(),
      userAgent: navigator.userAgent,
      session,
      droppedEvents: this.#dropped,
      events: this.#entries,
    };
  }

  /** Starts a browser download of the export document; returns the file name. */
  download(session) {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const fileName = `rendezvous-log-${stamp}.json`;
    const blob = new Blob([JSON.stringify(this.exportDocument(session), null, 2)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return fileName;
  }
}
