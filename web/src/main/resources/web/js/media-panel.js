// The dashboard's media figures for one peer: bitrate in and out, frames per second, resolution,
// packets lost, jitter and round-trip time, and their last minute as small live charts drawn by hand on
// canvases (no library). MediaHistory polls the SDK's `connection.mediaStats()`; the panel only draws.
// Page thread only.

const POINTS = 60; // one a second: the last minute

export class MediaHistory {
  #series = new Map(); // peer id → [{at, in, out, fps, rtt}]
  #latest = new Map(); // peer id → last MediaStats

  /** Reads one sample from every live connection that sends or receives media. */
  async sample(connections) {
    const live = new Set();
    await Promise.all(connections.map(async (connection) => {
      live.add(connection.peerId);
      const hasMedia = connection.remoteStreams.length > 0 || connection.snapshot().localTracks.length > 0;
      if (!hasMedia && !this.#latest.has(connection.peerId)) return;
      const stats = await connection.mediaStats().catch(() => null);
      if (!stats) return;
      this.#latest.set(connection.peerId, stats);
      const points = this.#series.get(connection.peerId) ?? [];
      points.push({
        in: total(stats.inbound, 'bitrateKbps'),
        out: total(stats.outbound, 'bitrateKbps'),
        fps: stats.inbound.video?.fps ?? 0,
        rtt: stats.rttMs ?? 0,
      });
      if (points.length > POINTS) points.shift();
      this.#series.set(connection.peerId, points);
    }));
    for (const peerId of [...this.#latest.keys()]) {
      if (!live.has(peerId)) {
        this.#latest.delete(peerId);
        this.#series.delete(peerId);
      }
    }
  }

  latest(peerId) {
    return this.#latest.get(peerId) ?? null;
  }

  series(peerId) {
    return this.#series.get(peerId) ?? [];
  }
}

/** The media section of a peer card, or null when this peer has no media. */
export function mediaPanel(history, peerId) {
  const stats = history.latest(peerId);
  if (!stats) return null;
  const inVideo = stats.inbound.video;
  const outVideo = stats.outbound.video;
  const inAudio = stats.inbound.audio;
  const section = document.createElement('section');
  section.className = 'media';
  const rows = [
    ['Bitrate in', kbps(total(stats.inbound, 'bitrateKbps')), 'bitrate-in'],
    ['Bitrate out', kbps(total(stats.outbound, 'bitrateKbps')), 'bitrate-out'],
    ['Video in', inVideo ? `${inVideo.width ?? '?'}×${inVideo.height ?? '?'} · ${inVideo.fps ?? 0} fps` : '—', 'video-in'],
    ['Video out', outVideo ? `${outVideo.width ?? '?'}×${outVideo.height ?? '?'} · ${outVideo.fps ?? 0} fps` : '—', 'video-out'],
    ['Frames decoded', inVideo?.framesDecoded ?? '—', 'frames-decoded'],
    ['Packets lost', total(stats.inbound, 'packetsLost'), 'packets-lost'],
    ['Jitter', inAudio?.jitterMs != null || inVideo?.jitterMs != null ? `${Math.max(inAudio?.jitterMs ?? 0, inVideo?.jitterMs ?? 0)} ms` : '—', 'jitter'],
    ['Media RTT', stats.rttMs == null ? '—' : `${stats.rttMs} ms`, 'media-rtt'],
  ];
  const list = document.createElement('dl');
  list.className = 'metrics';
  for (const [label, value, key] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = String(value);
    dd.dataset.metric = key;
    list.append(dt, dd);
  }
  const points = history.series(peerId);
  const charts = document.createElement('div');
  charts.className = 'charts';
  charts.append(
    chart('kbit/s in · out', [points.map((p) => p.in), points.map((p) => p.out)], 'bitrate'),
    chart('fps in', [points.map((p) => p.fps)], 'fps'),
    chart('RTT ms', [points.map((p) => p.rtt)], 'rtt'),
  );
  section.append(list, charts);
  return section;
}

const COLORS = ['#4f46e5', '#06b6d4'];

/** A sparkline of one or two series on a shared scale from 0 to their maximum. */
function chart(title, series, key) {
  const figure = document.createElement('figure');
  figure.className = 'chart';
  figure.dataset.chart = key;
  const caption = document.createElement('figcaption');
  const last = series.map((s) => (s.length ? Math.round(s[s.length - 1]) : 0));
  caption.textContent = `${title}: ${last.join(' · ')}`;
  const canvas = document.createElement('canvas');
  const ratio = globalThis.devicePixelRatio || 1;
  canvas.width = 180 * ratio;
  canvas.height = 44 * ratio;
  const g = canvas.getContext('2d');
  const max = Math.max(1, ...series.flat());
  const step = canvas.width / (POINTS - 1);
  series.forEach((values, index) => {
    if (values.length < 2) return;
    g.strokeStyle = COLORS[index % COLORS.length];
    g.lineWidth = 1.5 * ratio;
    g.beginPath();
    const offset = POINTS - values.length;
    values.forEach((value, i) => {
      const x = (offset + i) * step;
      const y = canvas.height - 2 * ratio - (value / max) * (canvas.height - 6 * ratio);
      if (i === 0) g.moveTo(x, y);
      else g.lineTo(x, y);
    });
    g.stroke();
  });
  figure.append(caption, canvas);
  return figure;
}

function total(side, field) {
  return (side.audio?.[field] ?? 0) + (side.video?.[field] ?? 0);
}

function kbps(value) {
  return value >= 1000 ? `${(value / 1000).toFixed(1)} Mbit/s` : `${value} kbit/s`;
}
