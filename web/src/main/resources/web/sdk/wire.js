// Signaling wire helpers (protocol v1, "Relay"): read both dialects, write the stage dialect.
// Pure functions, no state: the page and the logic tests share them.

/** Relayed signaling types, including seed 004's `ice_candidate` alias. */
export const RELAYED_TYPES = new Set(['offer', 'answer', 'candidate', 'ice_candidate']);

/**
 * The SDP of an offer or answer: `{"type":"offer","sdp":".."}` (stage dialect) or
 * `{"type":"offer","offer":{"type":"offer","sdp":".."}}` (seed 004). Null when absent.
 */
export function sdpOf(message) {
  if (typeof message.sdp === 'string') return message.sdp;
  const nested = message[message.type];
  if (nested && typeof nested === 'object' && typeof nested.sdp === 'string') return nested.sdp;
  return null;
}

/**
 * The RTCIceCandidateInit of a `candidate` / `ice_candidate` frame, or null when the frame carries none
 * or only an end-of-candidates marker. Accepts a nested object (both dialects) or a bare string.
 */
export function candidateOf(message) {
  const raw = message.candidate;
  let init = null;
  if (typeof raw === 'string') {
    init = { candidate: raw, sdpMid: message.sdpMid ?? null, sdpMLineIndex: message.sdpMLineIndex ?? null };
  } else if (raw && typeof raw === 'object' && typeof raw.candidate === 'string') {
    init = { candidate: raw.candidate, sdpMid: raw.sdpMid ?? null, sdpMLineIndex: raw.sdpMLineIndex ?? null };
  }
  if (!init || init.candidate.trim() === '') return null;
  if (init.sdpMid === null && init.sdpMLineIndex === null) init.sdpMLineIndex = 0;
  return init;
}

/** The connection address of a candidate line (`candidate:<foundation> <component> <proto> <prio> <address> <port> typ ...`). */
export function candidateAddress(candidateLine) {
  const fields = candidateLine.replace(/^a=/, '').trim().split(/\s+/);
  return fields.length > 4 ? fields[4] : '';
}

/** Loopback mode signals only IPv4 loopback candidates (see notes/browser-tests.md). */
export function isLoopbackCandidate(candidateLine) {
  return candidateAddress(candidateLine).startsWith('127.');
}

/** Removes every `a=candidate` line that is not on 127/8 from an SDP, keeping the line endings. */
export function keepLoopbackCandidates(sdp) {
  return sdp
    .split('\r\n')
    .filter((line) => !line.startsWith('a=candidate:') || isLoopbackCandidate(line))
    .join('\r\n');
}

/** Outbound description: `{"type":"offer","sdp":..}`, plus `to` in rooms. */
export function descriptionMessage(type, sdp, to) {
  return withTarget({ type, sdp }, to);
}

/** Outbound candidate: `{"type":"candidate","candidate":{candidate,sdpMid,sdpMLineIndex}}`, plus `to` in rooms. */
export function candidateMessage(candidate, to) {
  return withTarget(
    {
      type: 'candidate',
      candidate: { candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex },
    },
    to,
  );
}

function withTarget(message, to) {
  if (to) message.to = to;
  return message;
}

/** Room names allowed by the server: 1–64 chars of [A-Za-z0-9._-]. */
export function isValidRoomName(name) {
  return /^[A-Za-z0-9._-]{1,64}$/.test(name);
}

/** The signaling URL for the lobby (`/ws`) or a room (`/ws/{room}`) on the page's own origin. */
export function signalingUrl(location, room, username) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const path = room ? `/ws/${encodeURIComponent(room)}` : '/ws';
  const query = username ? `?username=${encodeURIComponent(username)}` : '';
  return `${scheme}//${location.host}${path}${query}`;
}
