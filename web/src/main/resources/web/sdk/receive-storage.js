// Where a page puts the bytes of a file it receives (sdk/files.js), so that neither a large file nor an
// interrupted one has to live in the page's memory:
// - 'opfs': the origin private file system (navigator.storage.getDirectory(), Chromium 86+, Firefox 111+,
//   Safari 15.2+), directory `rendezvous-received`: the bytes go to `<name>.part` as they come; an
//   interrupted transfer commits what it wrote, and the next offer of the same name (even after a reload)
//   resumes from that length, as the Java receiver does with its part file. A verified file is renamed to
//   `<name>` (replacing an earlier one) and handed out as a disk-backed File.
// - 'memory': Blob parts, merged every few MiB (Chromium keeps large blobs on disk, not in the renderer);
//   an interrupted transfer's blob is kept for the page's lifetime, so a resume works until the page closes.
// No DOM; the page's single thread. File names were checked (fileNameProblem) before they get here.

import { sha256OfBlob } from './sha256.js';

const DIRECTORY = 'rendezvous-received';
const MERGE_BYTES = 4 * 1024 * 1024;
const keptInMemory = new Map(); // name → Blob of an interrupted transfer ('memory' only)

/**
 * Opens the part of `name` (announced `size` bytes), keeping what an earlier transfer of that name
 * left if it is not longer than `size`. `kind`: 'opfs', 'memory', or undefined for OPFS where available.
 */
export async function openStorage(name, size, kind = undefined) {
  if (kind !== 'memory' && globalThis.navigator?.storage?.getDirectory) {
    try {
      return await OpfsPart.open(name, size);
    } catch (error) {
      if (kind === 'opfs') throw error;
      // No usable OPFS here (a browser setting, a quota): memory it is.
    }
  } else if (kind === 'opfs') {
    throw new Error('this browser has no origin private file system');
  }
  return new MemoryPart(name, size);
}

class OpfsPart {
  kind = 'opfs';
  size;
  #directory;
  #name;
  #handle;
  #writable;
  #kept;

  constructor(directory, name, handle, writable, kept) {
    this.#directory = directory;
    this.#name = name;
    this.#handle = handle;
    this.#writable = writable;
    this.#kept = kept;
    this.size = kept?.size ?? 0;
  }

  static async open(name, size) {
    const root = await navigator.storage.getDirectory();
    const directory = await root.getDirectoryHandle(DIRECTORY, { create: true });
    const handle = await directory.getFileHandle(`${name}.part`, { create: true });
    const existing = await handle.getFile();
    const keep = existing.size > 0 && existing.size <= size;
    const writable = await handle.createWritable({ keepExistingData: keep });
    if (keep) await writable.seek(existing.size);
    return new OpfsPart(directory, name, handle, writable, keep ? existing : null);
  }

  /** Feeds the kept bytes (read from disk a slice at a time) to `hash`. */
  async hashKept(hash) {
    if (this.#kept) await sha256OfBlob(this.#kept, undefined, 0, this.#kept.size, hash);
    this.#kept = null;
    return hash;
  }

  write(chunk) {
    return this.#writable.write(chunk);
  }

  /** Commits, renames `<name>.part` to `<name>`, and returns the file (disk-backed). */
  async complete() {
    await this.#writable.close();
    if (typeof this.#handle.move === 'function') {
      await this.#directory.removeEntry(this.#name).catch(() => {});
      await this.#handle.move(this.#name);
    }
    return this.#handle.getFile();
  }

  /** Commits what was written, for a resume. */
  async keep() {
    await this.#writable.close();
  }

  /** Deletes the part. Emptied first, so even a part the browser will not delete keeps nothing. */
  async discard() {
    try {
      await this.#writable.truncate(0);
      await this.#writable.close();
    } catch {
      await this.#writable.abort().catch(() => {});
    }
    await this.#directory.removeEntry(`${this.#name}.part`);
  }
}

class MemoryPart {
  kind = 'memory';
  size;
  #name;
  #blob;
  #pending = [];
  #pendingBytes = 0;

  constructor(name, size) {
    this.#name = name;
    const kept = keptInMemory.get(name);
    keptInMemory.delete(name);
    this.#blob = kept && kept.size <= size ? kept : new Blob([]);
    this.size = this.#blob.size;
  }

  async hashKept(hash) {
    return this.#blob.size ? sha256OfBlob(this.#blob, undefined, 0, this.#blob.size, hash) : hash;
  }

  write(chunk) {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.byteLength;
    if (this.#pendingBytes >= MERGE_BYTES) this.#merge();
    return Promise.resolve();
  }

  async complete() {
    this.#merge();
    return this.#blob;
  }

  async keep() {
    this.#merge();
    if (this.#blob.size > 0) keptInMemory.set(this.#name, this.#blob);
  }

  async discard() {
    this.#pending = [];
    this.#blob = new Blob([]);
  }

  #merge() {
    if (this.#pending.length) this.#blob = new Blob([this.#blob, ...this.#pending]);
    this.#pending = [];
    this.#pendingBytes = 0;
  }
}
