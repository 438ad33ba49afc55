// File transfer over data channels, the same protocol as the Java SDK (dev.rendezvous.client.files) and
// `rendezvous send` / `receive`; described in docs/files.md. One channel per file (label `file:<n>`):
// the sender sends {"type":"file",name,size,sha256}, the receiver answers {"type":"accept",offset} (or
// {"type":"refuse",reason}), binary chunks follow, the receiver acknowledges every MiB written
// ({"type":"ack",bytes}), the sender never runs more than WINDOW bytes ahead, then {"type":"end"}; the
// receiver checks size and SHA-256 and answers {"type":"done",sha256}.
// In the browser the received file is assembled as a Blob (the page offers it as a download), so a page
// always accepts from offset 0, and hashing uses crypto.subtle over the whole file (held in memory once).
// No DOM here. Everything runs on the page's single thread.

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

export async function sha256Hex(blobOrBuffer) {
  const buffer = blobOrBuffer instanceof Blob ? await blobOrBuffer.arrayBuffer() : blobOrBuffer;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', buffer));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
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
    channel.send(JSON.stringify({ type: 'file', name, size, sha256 }));
    await until(() => accepted !== null);
    if (accepted > size) throw new Error(`the receiver asked to resume at ${accepted}, past the size ${size}`);
    acked = accepted;
    onProgress(acked, size);
    for (let position = accepted; position < size;) {
      await until(() => position - acked < WINDOW && channel.bufferedAmount < 4 * 1024 * 1024);
      const end = Math.min(size, position + CHUNK);
      const chunk = await file.slice(position, end).arrayBuffer();
      if (failure) throw new Error(failure);
      channel.send(chunk);
      position = end;
    }
    channel.send(JSON.stringify({ type: 'end' }));
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
 * `onStart({name, size})`, `onProgress({name, bytes, size})`, `onFile({name, size, sha256, blob})` once
 * verified, `onFailed({name, reason})`. Refuses path tricks, a second metadata, chunks past the size, a
 * short transfer and a wrong hash, with a clear reason. Returns a function that stops accepting.
 */
export function acceptFiles(connection, { onStart = () => {}, onProgress = () => {}, onFile = () => {}, onFailed = () => {},
  maxBytes = 2 * 1024 * 1024 * 1024 } = {}) {
  const listener = (event) => {
    const { channel } = event.detail;
    if (!channel.label.startsWith(LABEL_PREFIX)) return;
    event.preventDefault();
    receiveOn(channel, { onStart, onProgress, onFile, onFailed, maxBytes });
  };
  connection.addEventListener('datachannel', listener);
  return () => connection.removeEventListener('datachannel', listener);
}

function receiveOn(channel, { onStart, onProgress, onFile, onFailed, maxBytes }) {
  channel.binaryType = 'arraybuffer';
  let meta = null;
  let finished = false;
  let parts = [];
  let received = 0;
  let acked = 0;
  const refuse = (reason) => {
    if (finished) return;
    finished = true;
    parts = [];
    try { channel.send(JSON.stringify({ type: 'refuse', reason })); } catch { /* already closing */ }
    channel.close();
    onFailed({ name: meta?.name ?? null, reason });
  };
  const finish = async () => {
    finished = true;
    if (received !== meta.size) {
      finished = false;
      return refuse(`the sender ended at ${received} of the announced ${meta.size} bytes`);
    }
    const blob = new Blob(parts);
    parts = [];
    const actual = await sha256Hex(blob);
    if (actual !== meta.sha256) {
      finished = false;
      return refuse(`SHA-256 mismatch: announced ${meta.sha256}, received ${actual}`);
    }
    channel.send(JSON.stringify({ type: 'done', sha256: actual }));
    onFile({ name: meta.name, size: meta.size, sha256: actual, blob });
  };
  channel.addEventListener('message', (event) => {
    if (finished) return;
    if (typeof event.data !== 'string') {
      if (!meta) return refuse('data before metadata');
      const length = event.data.byteLength;
      if (received + length > meta.size) return refuse(`more bytes than the announced size ${meta.size}`);
      parts.push(event.data);
      received += length;
      onProgress({ name: meta.name, bytes: received, size: meta.size });
      if (received - acked >= ACK_EVERY) {
        acked = received;
        channel.send(JSON.stringify({ type: 'ack', bytes: received }));
      }
      return;
    }
    let m;
    try {
      m = parse(event.data);
    } catch (error) {
      return refuse(`bad message: ${error.message}`);
    }
    if (m.type === 'file' && !meta) {
      if (typeof m.name !== 'string' || !isCount(m.size) || !/^[0-9a-f]{64}$/.test(m.sha256 ?? '')) {
        return refuse('bad message: "name", "size" or "sha256" missing or malformed');
      }
      const problem = fileNameProblem(m.name);
      if (problem) return refuse(problem);
      if (m.size > maxBytes) return refuse(`file larger than this page accepts (${maxBytes} bytes)`);
      meta = { name: m.name, size: m.size, sha256: m.sha256 };
      onStart({ name: meta.name, size: meta.size });
      channel.send(JSON.stringify({ type: 'accept', offset: 0 }));
    } else if (m.type === 'file') {
      refuse('metadata already received for this transfer');
    } else if (m.type === 'end' && meta) {
      finish();
    } else if (m.type === 'refuse') {
      finished = true;
      onFailed({ name: meta?.name ?? null, reason: `the sender gave up: ${m.reason}` });
      channel.close();
    } else {
      refuse(`unexpected message from the sender: ${m.type}`);
    }
  });
  channel.addEventListener('close', () => {
    if (!finished) {
      finished = true;
      parts = [];
      onFailed({ name: meta?.name ?? null, reason: meta ? `interrupted at ${received} of ${meta.size} bytes` : 'closed before any file' });
    }
  });
}
