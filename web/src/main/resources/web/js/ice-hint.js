// The one-line hint the page shows when a connection has no usable candidate to offer (the SDK's
// 'candidatewarning'): what happened and what to do, in the page's own terms (its ?loopback=1 option).
// Pure: no DOM, no state.

import { CandidateWarning } from '../sdk/rendezvous.js';

/** One line that says what to do when a connection has no usable candidate (the SDK's 'candidatewarning'). */
export function iceHintText(detail) {
  switch (detail.reason) {
    case CandidateWarning.LOOPBACK_PERMISSION_DENIED:
      return 'No connection possible: loopback mode (?loopback=1) needs the microphone permission (Chromium offers 127.0.0.1 only with it) — allow the microphone for this site and reload.';
    case CandidateWarning.ALL_WITHHELD:
      return 'No 127.0.0.1 candidate to offer in loopback mode: allow the microphone for this site and reload, or open the page without ?loopback=1.';
    case CandidateWarning.NONE_GATHERED:
      if (detail.relayOnly) return 'No relay candidate gathered: ?relay=1 needs a TURN server the browser can reach — start the server with --ice-server turn:… and --turn-secret (docs/operations.md), or open the page without ?relay=1.';
      return detail.loopback
        ? 'No network candidates gathered: allow the microphone for this site and reload (Chromium offers 127.0.0.1 only with it).'
        : 'No network candidates gathered (no network, or the browser withholds them): on one machine open the page with ?loopback=1 and allow the microphone; between machines check the network or add a TURN server.';
    case CandidateWarning.MDNS_ONLY:
      return 'Only hidden (.local) addresses offered and not connected yet: allow the microphone or camera (the browser then shows real addresses), use ?loopback=1 on one machine, or add a TURN server.';
    default:
      return `No usable network candidates (${detail.reason}).`;
  }
}
