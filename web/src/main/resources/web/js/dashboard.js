// The live debug dashboard (seed 003): a summary, one card per peer with its signaling / ICE gathering /
// ICE connection / connection / data channel states and metrics, and the timestamped event log with
// JSON export, and per peer its media figures with live charts (media-panel.js). Reads the session through callbacks; never changes it. Page thread only.

import { MediaHistory, mediaPanel } from './media-panel.js';

const STATE_ROWS = [
  ['signaling', 'Signaling'],
  ['iceGathering', 'ICE gathering'],
  ['iceConnection', 'ICE connection'],
  ['connection', 'Connection'],
  ['channel', 'Data channel'],
];

const GOOD = new Set(['stable', 'complete', 'connected', 'completed', 'open', 'ready']);
const BAD = new Set(['failed', 'closed', 'disconnected']);

const MAX_LOG_LINES = 600;

export class Dashboard {
  #log;
  #session;
  #links;
  #root;
  #visible = false;
  #media = new MediaHistory();

  constructor({ log, session, links, root }) {
    this.#log = log;
    this.#session = session;
    this.#links = links;
    this.#root = root;
    log.addEventListener('entry', (event) => this.#appendLogLine(event.detail));
    log.addEventListener('cleared', () => this.#el('event-log').replaceChildren());
    this.#el('log-export').addEventListener('click', () => {
      const fileName = log.download(this.#session());
      log.add('app', 'log_exported', { fileName, events: log.entries.length });
    });
    this.#el('log-clear').addEventListener('click', () => log.clear());
    // Stats (the selected pair, round-trip time) refresh while the dashboard is on screen.
    setInterval(() => {
      if (!this.#visible) return;
      for (const link of this.#links().live) link.refreshSelectedPair().catch(() => {});
    }, 2000);
    // Media figures are sampled every second whether or not the dashboard shows, so charts have a past.
    setInterval(() => {
      this.#media.sample(this.#links().live).then(() => {
        if (this.#visible) this.render();
      });
    }, 1000);
  }

  setVisible(visible) {
    this.#visible = visible;
    if (visible) this.#scrollLog();
  }

  render() {
    const session = this.#session();
    const { live, past } = this.#links();
    this.#renderSummary(session, live);
    const cards = live.map((link) => this.#peerCard(link, false));
    for (const link of past) cards.push(this.#peerCard(link, true));
    if (!cards.length) {
      const empty = document.createElement('div');
      empty.className = 'card empty';
      empty.textContent = 'No peer connections yet. Pair with someone or join a room; each connection appears here live.';
      cards.push(empty);
    }
    this.#el('peer-grid').replaceChildren(...cards);
  }

  #renderSummary(session, live) {
    const totals = live.reduce(
      (sum, link) => ({
        sent: sum.sent + link.metrics.sent,
        received: sum.received + link.metrics.received,
        errors: sum.errors + link.metrics.errors,
      }),
      { sent: 0, received: 0, errors: 0 },
    );
    const openChannels = live.filter((link) => link.state.channel === 'open').length;
    const tiles = [
      ['Signaling', session.signaling === 'open' && session.clientId ? 'ready' : session.signaling, 'signaling'],
      ['Signaling resumes', `${session.resume.resumes} / ${session.resume.lost} lost`, 'resumes'],
      ['Signals replayed', String(session.resume.replayed), 'replayed'],
      ['Scope', session.room ? `room ${session.room}` : 'lobby', 'scope'],
      ['Your id', session.clientId ?? '—', 'client-id'],
      ['Open channels', `${openChannels} / ${live.length}`, 'open-channels'],
      ['Messages sent', String(totals.sent), 'total-sent'],
      ['Messages received', String(totals.received), 'total-received'],
      ['Errors', String(totals.errors), 'total-errors'],
      ['ICE servers', String(session.iceServers.length), 'ice-servers'],
    ];
    const nodes = tiles.map(([label, value, key]) => {
      const tile = document.createElement('div');
      tile.className = 'tile';
      tile.dataset.metric = key;
      tile.append(text('div', 'tile-label', label), text('div', 'tile-value', value));
      return tile;
    });
    this.#el('summary').replaceChildren(...nodes);
  }

  #peerCard(link, past) {
    const snap = link.snapshot();
    const card = document.createElement('article');
    card.className = `card peer-card${past ? ' past' : ''}`;
    card.dataset.peerId = snap.peerId;
    card.dataset.channel = snap.state.channel;

    const header = document.createElement('header');
    const title = document.createElement('div');
    title.append(text('h3', '', link.displayName), text('code', 'peer-id', snap.peerId));
    const role = text('span', 'badge role', past ? `${snap.role} · closed` : snap.role);
    header.append(title, role);

    const states = document.createElement('dl');
    states.className = 'states';
    for (const [key, label] of STATE_ROWS) {
      const value = snap.state[key];
      const badge = text('span', `badge ${GOOD.has(value) ? 'good' : BAD.has(value) ? 'bad' : 'pending'}`, value);
      badge.dataset.state = key;
      const dd = document.createElement('dd');
      dd.append(badge);
      states.append(text('dt', '', label), dd);
    }

    const m = snap.metrics;
    const pair = m.selectedPair;
    const metrics = document.createElement('dl');
    metrics.className = 'metrics';
    const rows = [
      ['Sent', m.sent, 'sent'],
      ['Received', m.received, 'received'],
      ['Queued', m.queued, 'queued'],
      ['Errors', m.errors, 'errors'],
      ['Time to connect', m.timeToConnectMs === null ? '—' : `${m.timeToConnectMs} ms`, 'time-to-connect'],
      ['Candidate pair', pair ? `${pair.localType} ↔ ${pair.remoteType}` : '—', 'pair-type'],
      ['Route', pair ? `${pair.local} → ${pair.remote}` : '—', 'route'],
      ['RTT', pair?.rttMs == null ? '—' : `${pair.rttMs} ms`, 'rtt'],
      ['Candidates', `${m.candidatesSent} sent · ${m.candidatesReceived} received${m.candidatesWithheld ? ` · ${m.candidatesWithheld} withheld` : ''}`, 'candidates'],
    ];
    for (const [label, value, key] of rows) {
      const dd = text('dd', '', String(value));
      dd.dataset.metric = key;
      metrics.append(text('dt', '', label), dd);
    }
    card.append(header, states, metrics);
    const media = past ? null : mediaPanel(this.#media, snap.peerId);
    if (media) card.append(media);
    return card;
  }

  #appendLogLine(entry) {
    const container = this.#el('event-log');
    const line = document.createElement('div');
    line.className = `log-line ${entry.level}`;
    line.dataset.kind = entry.kind;
    const detail = Object.keys(entry.detail).length ? JSON.stringify(entry.detail) : '';
    line.append(
      text('span', 'log-time', entry.time.slice(11, 23)),
      text('span', 'log-scope', entry.scope.length > 12 ? entry.scope.slice(0, 8) : entry.scope),
      text('span', 'log-kind', entry.kind),
      text('span', 'log-detail', detail),
    );
    container.append(line);
    while (container.children.length > MAX_LOG_LINES) container.firstElementChild.remove();
    if (this.#visible) this.#scrollLog();
  }

  #scrollLog() {
    if (!this.#el('log-follow').checked) return;
    const container = this.#el('event-log');
    container.scrollTop = container.scrollHeight;
  }

  #el(id) {
    return this.#root.getElementById(id);
  }
}

function text(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.textContent = content;
  return node;
}
