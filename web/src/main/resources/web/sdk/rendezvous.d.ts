// Types of the Rendezvous browser SDK (rendezvous.js). Docs: docs/sdk-js.md.

/** Where a log line comes from: 'signaling', 'app', or a peer id. The dashboard's EventLog fits. */
export interface Logger {
  add(scope: string, kind: string, detail?: Record<string, unknown>, level?: 'debug' | 'info' | 'warn' | 'error'): unknown;
}

export declare const SILENT_LOGGER: Logger;
export declare const VERSION: string;

/** Safe-send limits (defaults: the Java SDK's SendPolicy.DEFAULT). */
export interface SendLimits {
  maxQueuedMessages?: number;
  maxQueuedBytes?: number;
  queueExpiryMs?: number;
  highWaterMark?: number;
  lowWaterMark?: number;
  maxMessageBytes?: number;
}
export declare const DEFAULT_LIMITS: Readonly<Required<SendLimits>>;

export interface IceRestartPolicy {
  /** Restart after ICE stayed 'disconnected' this long (ms). 'failed' restarts at once. Default 4000. */
  afterDisconnectedMs?: number;
  /** Give up after this many restarts in a row without reconnecting. Default 3. */
  maxAttempts?: number;
}
export declare const DEFAULT_ICE_RESTART: Readonly<Required<IceRestartPolicy>>;

/** A connection not open this long after it was built, with no usable local candidate signalled, warns (ms). */
export declare const CANDIDATE_WARNING_MS: number;
/** Why a connection offers its peer no usable candidate (the 'candidatewarning' event). */
export type CandidateWarning = 'loopback_permission_denied' | 'all_withheld' | 'none_gathered' | 'mdns_only';
export declare const CandidateWarning: Readonly<{
  LOOPBACK_PERMISSION_DENIED: 'loopback_permission_denied'; ALL_WITHHELD: 'all_withheld';
  NONE_GATHERED: 'none_gathered'; MDNS_ONLY: 'mdns_only';
}>;
export interface CandidateWarningDetail {
  reason: CandidateWarning;
  /** Local candidates signalled, withheld (loopback mode), and signalled as mDNS `.local` names. */
  sent: number;
  withheld: number;
  mdns: number;
  loopback: boolean;
  /** relayOnly was on: 'none_gathered' then means no TURN server gave a relay candidate. */
  relayOnly: boolean;
}

export interface RendezvousOptions {
  /** The Rendezvous server, e.g. "http://127.0.0.1:8080" (ws:// also accepted). Default: the page's origin. */
  server?: string;
  /** Join this room (full mesh) instead of the lobby (1:1 pairing). 1–64 chars of [A-Za-z0-9._-]. */
  room?: string | null;
  /** Ask for this id instead of a server-generated one (refused with id_taken if in use). */
  id?: string | null;
  /** Display name (used when auth is off). */
  username?: string | null;
  /** A JWT, sent when the server asks (auth_required). */
  token?: string | null;
  /** Single-machine testing: ask for microphone permission (Chromium then gathers 127.0.0.1) and signal only 127.* candidates. */
  loopback?: boolean;
  /** Use TURN relays only (iceTransportPolicy 'relay'). */
  relayOnly?: boolean;
  /** Override the ICE servers the server sends in your_id. */
  iceServers?: RTCIceServer[] | null;
  logger?: Logger;
  sendLimits?: SendLimits;
  iceRestart?: IceRestartPolicy;
}

export type Outcome = 'sent' | 'queued' | 'refused';
export declare const Outcome: Readonly<{ SENT: 'sent'; QUEUED: 'queued'; REFUSED: 'refused' }>;
export type Refusal = 'closed' | 'queue_full' | 'expired' | 'too_large' | 'send_failed';
export declare const Refusal: Readonly<{
  CLOSED: 'closed'; QUEUE_FULL: 'queue_full'; EXPIRED: 'expired'; TOO_LARGE: 'too_large'; SEND_FAILED: 'send_failed';
}>;

/** What became of one message: at once, or (for a queued one) when it settles. Never thrown. */
export interface SendResult {
  outcome: Outcome;
  code?: Refusal;
  reason?: string;
}

/** An Error from the SDK or the server, with the protocol's snake_case code. */
export interface RendezvousError extends Error {
  code: string;
}

export interface SelectedPair {
  localType: string;
  remoteType: string;
  local: string | null;
  remote: string | null;
  protocol: string | null;
  rttMs: number | null;
}

export interface MediaFigures {
  bitrateKbps: number | null;
  fps: number | null;
  width: number | null;
  height: number | null;
  packets: number | null;
  packetsLost: number | null;
  jitterMs: number | null;
  framesDecoded: number | null;
  framesEncoded: number | null;
  audioLevel: number | null;
}

export interface MediaStats {
  at: number;
  rttMs: number | null;
  inbound: { audio: MediaFigures | null; video: MediaFigures | null };
  outbound: { audio: MediaFigures | null; video: MediaFigures | null };
}

export declare class MediaStatsReader {
  read(report: RTCStatsReport): MediaStats;
}
export declare function selectedPairOf(report: RTCStatsReport): SelectedPair | null;

export interface ConnectionState {
  signaling: string;
  iceGathering: string;
  iceConnection: string;
  connection: string;
  /** none | connecting | open | closing | closed */
  channel: string;
}

export interface ConnectionMetrics {
  sent: number;
  received: number;
  errors: number;
  queued: number;
  candidatesSent: number;
  candidatesWithheld: number;
  candidatesReceived: number;
  timeToConnectMs: number | null;
  selectedPair: SelectedPair | null;
  iceRestarts: number;
}

export interface TrackEventDetail {
  track: MediaStreamTrack;
  /** The remote stream the track belongs to (a new one if the sender gave none). */
  stream: MediaStream;
  streams: readonly MediaStream[];
}

export interface ConnectionEventMap {
  open: CustomEvent<undefined>;
  data: CustomEvent<string>;
  track: CustomEvent<TrackEventDetail>;
  trackremoved: CustomEvent<{ track: MediaStreamTrack; stream: MediaStream }>;
  statechange: CustomEvent<{ key: keyof ConnectionState; state: string }>;
  icerestart: CustomEvent<{ reason: string; attempt: number }>;
  /** Once per connection: nothing usable to offer the peer (see CandidateWarning). */
  candidatewarning: CustomEvent<CandidateWarningDetail>;
  error: CustomEvent<{ step: string; error: string }>;
  close: CustomEvent<{ reason: string }>;
  change: CustomEvent<undefined>;
}

/**
 * One remote peer: an RTCPeerConnection with the `chat` data channel and any audio/video tracks.
 * Lifecycle: connecting → open → closed; never reused. Made by Rendezvous, never by you.
 */
export declare class Connection extends EventTarget {
  readonly peerId: string;
  readonly username: string | null;
  readonly initiator: boolean;
  readonly polite: boolean;
  readonly displayName: string;
  readonly state: Readonly<ConnectionState>;
  readonly metrics: Readonly<ConnectionMetrics>;
  readonly peerConnection: RTCPeerConnection | null;
  readonly open: boolean;
  readonly closed: boolean;
  readonly remoteStreams: MediaStream[];
  /** Opens another data channel (e.g. `file:<n>` for a transfer); null until connected or once closed. */
  openChannel(label: string, init?: RTCDataChannelInit): RTCDataChannel | null;
  send(text: string, onSettled?: (result: SendResult) => void): SendResult;
  addTrack(track: MediaStreamTrack, stream?: MediaStream | null): boolean;
  removeTrack(track: MediaStreamTrack): boolean;
  addStream(stream: MediaStream): void;
  removeStream(stream: MediaStream): void;
  restartIce(reason?: string): boolean;
  getStats(): Promise<RTCStatsReport | null>;
  mediaStats(): Promise<MediaStats | null>;
  refreshSelectedPair(): Promise<SelectedPair | null>;
  snapshot(): Record<string, unknown>;
  close(reason?: string): void;
  addEventListener<K extends keyof ConnectionEventMap>(type: K, listener: (event: ConnectionEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof ConnectionEventMap>(type: K, listener: (event: ConnectionEventMap[K]) => void, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

export interface PeerRef {
  id: string;
  username: string | null;
}

export interface RendezvousEventMap {
  open: CustomEvent<{ id: string; room: string | null; iceServers: RTCIceServer[] }>;
  connection: CustomEvent<Connection>;
  paired: CustomEvent<{ id: string; initiator: boolean; connection: Connection }>;
  peerdisconnected: CustomEvent<{ id: string }>;
  members: CustomEvent<{ users: PeerRef[] }>;
  peerjoined: CustomEvent<PeerRef>;
  peerleft: CustomEvent<PeerRef>;
  authrequired: CustomEvent<{ tokenSent: boolean }>;
  authenticated: CustomEvent<{ user: string; clientId: string }>;
  error: CustomEvent<{ code: string; message: string; ref: string | null }>;
  close: CustomEvent<{ code: number; reason: string; wasClean: boolean }>;
  statechange: CustomEvent<{ state: 'connecting' | 'open' | 'closed'; signaling: string }>;
  /** Resume (v1.1): signaling was lost without a close; connections carry on, signals wait. */
  signalinglost: CustomEvent<{ code: number }>;
  signalingresuming: CustomEvent<{ attempt: number }>;
  /** The session is back: same id, same pairing or room; `replayed` signals were delivered again. */
  signalingresumed: CustomEvent<{ replayed: number; resent: number }>;
  /** A fresh session with a new id: the pairing or membership and its connections are gone. */
  resumefailed: CustomEvent<{ id: string; reason: string; lostPeers: string[] }>;
}

/** Counters of the signaling connection's blips. */
export interface ResumeStats {
  lost: number;
  resumes: number;
  replayed: number;
  resent: number;
  failures: number;
  /** Sockets found half-open (open, but silent past the keepalive interval) and abandoned for a resume. */
  halfOpen: number;
}

/**
 * A signaling connection to the lobby or a room, and the peer connections it leads to.
 * Lifecycle: connecting → open → closed; never reused.
 */
export declare class Rendezvous extends EventTarget {
  constructor(options?: RendezvousOptions);
  readonly id: string | null;
  readonly room: string | null;
  readonly state: 'connecting' | 'open' | 'closed';
  readonly signalingState: 'idle' | 'connecting' | 'open' | 'resuming' | 'closed';
  readonly resumeStats: ResumeStats;
  readonly signalingUrl: string;
  readonly iceServers: RTCIceServer[];
  readonly pairedPeer: string | null;
  readonly members: Map<string, string | null>;
  readonly connections: Map<string, Connection>;
  readonly localTracks: MediaStreamTrack[];
  connection(peerId: string): Connection | null;
  authenticate(token: string): boolean;
  connect(peerId: string): Promise<Connection>;
  call(peerId: string, stream: MediaStream): Promise<Connection>;
  unpair(): boolean;
  addTrack(track: MediaStreamTrack, stream?: MediaStream | null): void;
  removeTrack(track: MediaStreamTrack): void;
  addStream(stream: MediaStream): void;
  removeStream(stream: MediaStream): void;
  broadcast(text: string, onSettled?: (peerId: string, result: SendResult) => void): Array<SendResult & { peerId: string }>;
  close(): void;
  addEventListener<K extends keyof RendezvousEventMap>(type: K, listener: (event: RendezvousEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof RendezvousEventMap>(type: K, listener: (event: RendezvousEventMap[K]) => void, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

export declare function fetchIceServers(options?: { server?: string; token?: string | null; clientId?: string | null }): Promise<RTCIceServer[]>;
export declare function signalingUrl(options: { server: string; room?: string | null; username?: string | null; id?: string | null }): string;
export declare function sanitizeIceServers(servers: unknown): RTCIceServer[];
export declare function ensureLoopbackPermission(logger?: Logger): Promise<MediaStream | null>;
export declare function isPolite(myId: string, peerId: string): boolean;
export declare function isValidRoomName(name: string): boolean;
export declare function shortId(id: string | null | undefined): string;
