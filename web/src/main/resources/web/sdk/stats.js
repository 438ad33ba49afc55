// Reading RTCPeerConnection.getStats() into the figures people look at: the selected candidate pair and,
// per direction and kind, bitrate, frames per second, resolution, packets lost, jitter and round-trip
// time. Rates need two reports: MediaStatsReader keeps the previous one. Pure functions plus one small
// stateful reader; no DOM. Page thread only.

/** The selected candidate pair of a stats report (types and `address:port` of both ends), or null. */
export function selectedPairOf(report) {
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
  return {
    localType: local?.candidateType ?? 'unknown',
    remoteType: remote?.candidateType ?? 'unknown',
    local: endpoint(local),
    remote: endpoint(remote),
    protocol: local?.protocol ?? null,
    rttMs: pair.currentRoundTripTime != null ? Math.round(pair.currentRoundTripTime * 1000) : null,
  };
}

/**
 * Turns successive stats reports of one connection into media figures. `read(report)` returns
 * `{at, rttMs, inbound: {audio, video}, outbound: {audio, video}}` where each side is null or
 * `{bitrateKbps, fps, width, height, packets, packetsLost, jitterMs, framesDecoded, framesEncoded}`
 * (fields a kind does not have are null). Rates are over the time since the previous `read`.
 */
export class MediaStatsReader {
  #previous = new Map(); // stat id → {bytes, timestamp}

  read(report) {
    const result = { at: Date.now(), rttMs: null, inbound: { audio: null, video: null }, outbound: { audio: null, video: null } };
    const seen = new Map();
    report.forEach((stat) => {
      if (stat.type === 'candidate-pair' && stat.nominated && stat.currentRoundTripTime != null) {
        result.rttMs = Math.round(stat.currentRoundTripTime * 1000);
      }
      if (stat.type === 'remote-inbound-rtp' && stat.roundTripTime != null && result.rttMs == null) {
        result.rttMs = Math.round(stat.roundTripTime * 1000);
      }
      const inbound = stat.type === 'inbound-rtp';
      if (!inbound && stat.type !== 'outbound-rtp') return;
      const kind = stat.kind ?? stat.mediaType;
      if (kind !== 'audio' && kind !== 'video') return;
      const bytes = inbound ? stat.bytesReceived : stat.bytesSent;
      seen.set(stat.id, { bytes, timestamp: stat.timestamp });
      const before = this.#previous.get(stat.id);
      const seconds = before ? (stat.timestamp - before.timestamp) / 1000 : 0;
      const figures = {
        bitrateKbps: seconds > 0 ? Math.max(0, Math.round(((bytes - before.bytes) * 8) / seconds / 1000)) : null,
        fps: stat.framesPerSecond ?? null,
        width: stat.frameWidth ?? null,
        height: stat.frameHeight ?? null,
        packets: (inbound ? stat.packetsReceived : stat.packetsSent) ?? null,
        packetsLost: inbound ? stat.packetsLost ?? 0 : null,
        jitterMs: inbound && stat.jitter != null ? Math.round(stat.jitter * 1000) : null,
        framesDecoded: inbound ? stat.framesDecoded ?? null : null,
        framesEncoded: inbound ? null : stat.framesEncoded ?? null,
        audioLevel: stat.audioLevel ?? null,
      };
      const side = inbound ? result.inbound : result.outbound;
      side[kind] = merge(side[kind], figures);
    });
    this.#previous = seen;
    return result;
  }
}

/** Several streams of one kind (a room page sending camera and screen): add rates and counts up. */
function merge(a, b) {
  if (!a) return b;
  const sum = (x, y) => (x == null ? y : y == null ? x : x + y);
  return {
    ...a,
    bitrateKbps: sum(a.bitrateKbps, b.bitrateKbps),
    packets: sum(a.packets, b.packets),
    packetsLost: sum(a.packetsLost, b.packetsLost),
    framesDecoded: sum(a.framesDecoded, b.framesDecoded),
    framesEncoded: sum(a.framesEncoded, b.framesEncoded),
    width: Math.max(a.width ?? 0, b.width ?? 0) || null,
    height: Math.max(a.height ?? 0, b.height ?? 0) || null,
  };
}

/** `address:port` of a candidate stat; Chromium hides the address of peer-reflexive remote candidates. */
function endpoint(candidate) {
  if (!candidate) return null;
  return `${candidate.address || candidate.ip || '(hidden)'}:${candidate.port}`;
}
