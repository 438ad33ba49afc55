// File transfer over data channels, the same protocol as the Java SDK (dev.rendezvous.client.files) and
// `rendezvous send` / `receive`; described in docs/files.md. One channel per file (label `file:<n>`):
// the sender sends {"type":"file",name,size,sha256}, the receiver answers {"type":"accept",offset} (or
// {"type":"refuse",reason}), binary chunks follow, the receiver acknowledges every MiB written
// ({"type":"ack",bytes}), the sender never runs more than WINDOW bytes ahead, then {"type":"end"}; the
// receiver checks size and SHA-256 and answers {"type":"done",sha256}.
// Neither side holds a whole file in memory: the sender reads and hashes it a slice at a time
// (sha256.js: crypto.subtle has no incremental digest); the receiver hashes each chunk as it comes and
// writes it to the origin private file system (OPFS, `receive-storage.js`), where an interrupted transfer
// keeps its bytes and the next offer of the same name resumes from them, as the Java receiver does.
// Without OPFS the bytes go into Blob parts (Chromium moves large blobs to disk) kept for the page's
// lifetime, so a resume still works until the page is closed.
// No DOM here. Everything runs on the page's single thread.

import { Sha256, sha256OfBlob } from './sha256.js';
import { openStorage } from './receive-storage.js';

export const LABEL_PREFIX = 'file:';
export const CHUNK = 64 * 1024;
export const WINDOW = 8 * 1024 * 1024;
const ACK_EVERY = 1024 * 1024;
const MAX_TEXT = 4096;
const MAX_NAME_BYTES = 255;
const DEVICES = new Set(['CON', 'PRN', 'AUX', 'NUL', 'CONIN$', 'CONOUT$',
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`COM${n}`, `LPT${n}`])]);
let nextLabel = 0;

/** Why `name` may not be written as a received file (null if it may): the Java SafeFileName's rules. */
export function fileNameProblem(name) {
  if (typeof name !== 'string' || name.length === 0) return 'empty file name';
  if (new TextEncoder().encode(name).length > MAX_NAME_BYTES) return `file name longer than ${MAX_NAME_BYTES} bytes`;
  if (name === '.' || name === '..') return `file name "${name}" is a directory reference`;
  for (const ch of name) {
    const c = ch.codePointAt(0);
    if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0)) return 'file name contains a control character';
    if (ch === '/' || ch === '\\') return 'file name contains a path separator (only a plain name is accepted)';
    if ('<>:"|?*'.includes(ch)) return `file name contains '${ch}'`;
  }
  if (/[. ]$/.test(name)) return 'file name ends with a dot or a space';
  const stem = (name.includes('.') ? name.slice(0, name.indexOf('.')) : name).trim().toUpperCase();
  if (DEVICES.has(stem)) return `file name "${name}" is a device name`;
  return null;
}

/** SHA-256 (hex) of a Blob or File read a slice at a time, or of an ArrayBuffer / typed array. */
export async function sha256Hex(blobOrBuffer) {
  if (blobOrBuffer instanceof Blob) return (await sha256OfBlob(blobOrBuffer)).hex();
  return new Sha256().update(ArrayBuffer.isView(blobOrBuffer)
    ? new Uint8Array(blobOrBuffer.buffer, blobOrBuffer.byteOffset, blobOrBuffer.byteLength) : blobOrBuffer).hex();
}

function parse(text) {
  if (typeof text !== 'string' || text.length > MAX_TEXT) throw new Error('message too long or not text');
  let m;
  try {
    m = JSON.parse(text);
  } catch {
    throw new Error('not a JSON message');
  }
  if (!m || typeof m !== 'object') throw new Error('not a JSON object');
  return m;
}

const isCount = (n) => Number.isSafeInteger(n) && n >= 0;

/**
 * Sends `file` (a File or Blob with a name) to the peer of `connection` (an SDK Connection) on a new
 * channel. Resolves with {name, size, sha256} once the receiver confirms; rejects with an Error saying
 * why (refused, closed, bad reply). `onProgress(bytesAcknowledged, size)` as the receiver writes.
 */
export async function sendFile(connection, file, { name = file.name, onProgress = () => {} } = {}) {
  const problem = fileNameProblem(name);
  if (problem) throw new Error(`cannot send ${name}: ${problem}`);
  const sha256 = await sha256Hex(file);
  const channel = connection.openChannel(`${LABEL_PREFIX}page-${++nextLabel}-${Date.now()}`);
  if (!channel) throw new Error('no connection to send on');
  const size = file.size;
  let acked = 0;
  let wake = null;
  let failure = null;
  let done = null;
  let accepted = null;
  const poke = () => { const w = wake; wake = null; w?.(); };
  const wait = () => new Promise((resolve) => { wake = resolve; });
  channel.bufferedAmountLowThreshold = 1024 * 1024;
  channel.addEventListener('bufferedamountlow', poke);
  channel.addEventListener('message', (event) => {
    let m;
    try {
      if (typeof event.data !== 'string') throw new Error('the receiver sent binary data');
      m = parse(event.data);
    } catch (error) {
      failure = failure ?? error.message;
      return poke();
    }
    if (m.type === 'accept' && isCount(m.offset) && accepted === null) accepted = m.offset;
    else if (m.type === 'ack' && isCount(m.bytes)) { if (m.bytes > acked) { acked = m.bytes; onProgress(acked, size); } }
    else if (m.type === 'done') done = m.sha256;
    else if (m.type === 'refuse') failure = failure ?? `refused by the receiver: ${m.reason}`;
    else failure = failure ?? `unexpected reply ${event.data}`;
    poke();
  });
  channel.addEventListener('close', () => { failure = failure ?? 'the receiver closed the transfer'; poke(); });
  // A channel the receiver closed may still say 'closing' before its close event: say so, not the DOM's words.
  const send = (data) => {
    if (channel.readyState !== 'open') throw new Error(failure ?? 'the receiver closed the transfer');
    channel.send(data);
  };
  const until = async (condition) => {
    while (!condition()) {
      if (failure) throw new Error(failure);
      await wait();
    }
    if (failure && !done) throw new Error(failure);
  };
  try {
    if (channel.readyState !== 'open') {
      channel.addEventListener('open', poke, { once: true });
      await until(() => channel.readyState === 'open');
    }
    send(JSON.stringify({ type: 'file', name, size, sha256 }));
    await until(() => accepted !== null);
    if (accepted > size) throw new Error(`the receiver asked to resume at ${accepted}, past the size ${size}`);
    acked = accepted;
    onProgress(acked, size);
    for (let position = accepted; position < size;) {
      await until(() => position - acked < WINDOW && channel.bufferedAmount < 4 * 1024 * 1024);
      const end = Math.min(size, position + CHUNK);
      const chunk = await file.slice(position, end).arrayBuffer();
      if (failure) throw new Error(failure);
      send(chunk);
      position = end;
    }
    send(JSON.stringify({ type: 'end' }));
    await until(() => done !== null);
    if (done !== sha256) throw new Error(`the receiver confirmed a different SHA-256: ${done}`);
    onProgress(size, size);
    return { name, size, sha256 };
  } finally {
    channel.close();
  }
}

/**
 * Accepts file transfers arriving on `connection` (an SDK Connection). Handlers:
 * `onStart({name, size, offset})` (`offset` bytes were kept from an interrupted transfer: a resume),
 * `onProgress({name, bytes, size})` as bytes are written, `onFile({name, size, sha256, blob, stored})` once
 * verified (`blob` is a File in OPFS, or a Blob; `stored` says which: 'opfs' or 'memory'),
 * `onFailed({name, reason})`. Refuses path tricks, a second metadata, chunks past the size, a short
 * transfer and a wrong hash, with a clear reason, and drops the kept bytes of a transfer found wrong.
 * `storage` is for tests ('opfs', 'memory'; default: OPFS where the browser has it). Returns a function
 * that stops accepting.
 */
export function acceptFiles(connection, { onStart = () => {}, onProgress = () => {}, onFile = () => {}, onFailed = () => {},
  maxBytes = 64 * 1024 * 1024 * 1024, storage = undefined } = {}) {
  const listener = (event) => {
    const { channel } = event.detail;
    if (!channel.label.startsWith(LABEL_PREFIX)) return;
    event.preventDefault();
    receiveOn(channel, { onStart, onProgress, onFile, onFailed, maxBytes, storage });
  };
  connection.addEventListener('datachannel', listener);
  return () => connection.removeEventListener('datachannel', listener);
}

const receiving = new Set(); // names being received on this page now: one transfer per name at a time

/**
 * One incoming transfer. Chunks are hashed as they arrive and written in order through one promise
 * chain; the acknowledgement for a MiB goes out once it is written, so the bytes held in memory are
 * bounded by the sender's window (WINDOW), whatever the file's size.
 */
function receiveOn(channel, { onStart, onProgress, onFile, onFailed, maxBytes, storage }) {
  channel.binaryType = 'arraybuffer';
  let meta = null;
  let state = 'awaiting-meta'; // → 'opening' → 'receiving' → 'finished'
  let part = null; // the storage of this transfer's bytes (receive-storage.js)
  let hash = null;
  let received = 0; // bytes accepted from the channel (kept ones included)
  let written = 0; // of those, bytes the storage has taken
  let acked = 0;
  let writes = Promise.resolve();

  const release = () => {
    if (meta) receiving.delete(meta.name); // meta is set only once the name is claimed
  };
  const fail = (reason, { tell = true, discard = false } = {}) => {
    if (state === 'finished') return;
    const had = state;
    state = 'finished';
    if (tell) {
      try { channel.send(JSON.stringify({ type: 'refuse', reason })); } catch { /* already closing */ }
    }
    channel.close();
    const stored = part;
    part = null;
    writes = writes.then(() => stored && (discard && had !== 'awaiting-meta' ? stored.discard() : stored.keep()))
      .catch((error) => console.error(`file transfer: could not ${discard ? 'delete' : 'keep'} the part of ${meta?.name}: ${error}`))
      .finally(release);
    onFailed({ name: meta?.name ?? null, reason });
  };
  const write = (chunk) => {
    hash.update(new Uint8Array(chunk));
    received += chunk.byteLength;
    const stored = part;
    writes = writes.then(async () => {
      if (state !== 'receiving' || part !== stored) return;
      await stored.write(chunk);
      written += chunk.byteLength;
      onProgress({ name: meta.name, bytes: written, size: meta.size });
      // A cut channel may not have fired 'close' yet: no acknowledgement then (send would throw and turn the
      // interruption into a write failure); the 'close' handler keeps the bytes written for a resume.
      if (written - acked >= ACK_EVERY && state === 'receiving' && channel.readyState === 'open') {
        acked = written;
        channel.send(JSON.stringify({ type: 'ack', bytes: written }));
      }
    }).catch((error) => fail(`receiver cannot write ${meta.name}: ${error.message}`));
  };
  const start = async (m) => {
    state = 'opening';
    try {
      const opened = await openStorage(m.name, m.size, storage);
      if (state !== 'opening') { // refused while it opened: keep kept bytes, drop a part this transfer made
        await (opened.size > 0 ? opened.keep() : opened.discard());
        return release();
      }
      part = opened;
      const kept = part.size;
      hash = await part.hashKept(new Sha256());
      if (state !== 'opening') return; // refused meanwhile: fail() took the part over
      received = written = acked = kept;
      state = 'receiving';
      onStart({ name: m.name, size: m.size, offset: kept });
      channel.send(JSON.stringify({ type: 'accept', offset: kept }));
    } catch (error) {
      if (state === 'opening') fail(`receiver cannot store ${m.name}: ${error.message}`);
    }
  };
  const finish = () => {
    writes = writes.then(async () => {
      if (state !== 'receiving') return;
      if (received !== meta.size) return fail(`the sender ended at ${received} of the announced ${meta.size} bytes`, { discard: true });
      const actual = hash.hex();
      if (actual !== meta.sha256) return fail(`SHA-256 mismatch: announced ${meta.sha256}, received ${actual}`, { discard: true });
      const stored = part;
      const blob = await stored.complete();
      state = 'finished';
      part = null;
      release();
      channel.send(JSON.stringify({ type: 'done', sha256: actual }));
      onFile({ name: meta.name, size: meta.size, sha256: actual, blob, stored: stored.kind });
    }).catch((error) => fail(`receiver cannot finish ${meta.name}: ${error.message}`));
  };
  channel.addEventListener('message', (event) => {
    if (state === 'finished') return;
    if (typeof event.data !== 'string') {
      if (state === 'awaiting-meta') return fail('data before metadata');
      if (state === 'opening') return fail('data before the receiver accepted');
      if (received + event.data.byteLength > meta.size) return fail(`more bytes than the announced size ${meta.size}`, { discard: true });
      return write(event.data);
    }
    let m;
    try {
      m = parse(event.data);
    } catch (error) {
      return fail(`bad message: ${error.message}`, { discard: true });
    }
    if (m.type === 'file' && state === 'awaiting-meta') {
      if (typeof m.name !== 'string' || !isCount(m.size) || !/^[0-9a-f]{64}$/.test(m.sha256 ?? '')) {
        return fail('bad message: "name", "size" or "sha256" missing or malformed');
      }
      const problem = fileNameProblem(m.name);
      if (problem) return fail(problem);
      if (m.size > maxBytes) return fail(`file larger than this page accepts (${maxBytes} bytes)`);
      if (receiving.has(m.name)) return fail(`already receiving ${m.name}`);
      receiving.add(m.name);
      meta = { name: m.name, size: m.size, sha256: m.sha256 };
      start(meta);
    } else if (m.type === 'file') {
      fail('metadata already received for this transfer', { discard: true });
    } else if (m.type === 'end' && state === 'receiving') {
      finish();
    } else if (m.type === 'refuse') {
      fail(`the sender gave up: ${m.reason}`, { tell: false });
    } else {
      fail(`unexpected message from the sender: ${m.type}`, { discard: true });
    }
  });
  channel.addEventListener('close', () => {
    if (state === 'finished') return;
    const reason = meta ? `interrupted at ${received} of ${meta.size} bytes; the bytes received are kept to resume` : 'closed before any file';
    fail(reason, { tell: false });
  });
}
