// Files on the chat page: drop files on the chat (or pick them with the "File" button) to send them to
// every connected peer; incoming files appear in the chat with a progress bar and, once their SHA-256 is
// verified, a download link (the file itself is on disk, in the origin private file system, where the
// browser has one; an interrupted incoming file resumes when the sender sends it again). The protocol is the SDK's (../sdk/files.js); this file is UI only, kept apart
// from the rest of the page: connector.js hands it each new Rendezvous (`files.attach(rv)`). Runs on the page's single thread.

import { acceptFiles, sendFile } from '../sdk/files.js';

const MIB = 1024 * 1024;

export class FilesUi {
  #root;
  #rendezvous;
  #log;

  #storage;

  /** `storage`: where received files go ('opfs' or 'memory'; default: OPFS where the browser has it; `?files-storage=`). */
  constructor({ root = document, rendezvous, log = null,
    storage = new URLSearchParams(globalThis.location?.search ?? '').get('files-storage') ?? undefined }) {
    this.#root = root;
    this.#storage = storage;
    this.#rendezvous = rendezvous;
    this.#log = log;
    this.#install();
  }

  /** Accepts files on every connection `rv` makes from now on (call once per Rendezvous). */
  attach(rv) {
    const handlers = (connection) => ({
      onStart: ({ name, size: bytes, offset }) => {
        this.#item(`in:${connection.peerId}:${name}`, `${connection.displayName} → you: ${name}`, bytes);
        if (offset > 0) this.#status(`in:${connection.peerId}:${name}`, `resuming at ${size(offset)}`, 'running');
      },
      onProgress: ({ name, bytes, size }) => this.#progress(`in:${connection.peerId}:${name}`, bytes, size),
      onFile: ({ name, size, blob, stored }) => this.#received(`in:${connection.peerId}:${name}`, name, size, blob, stored),
      onFailed: ({ name, reason }) => this.#failed(`in:${connection.peerId}:${name}`, name, reason),
      storage: this.#storage,
    });
    for (const connection of rv.connections.values()) acceptFiles(connection, handlers(connection));
    rv.addEventListener('connection', (event) => acceptFiles(event.detail, handlers(event.detail)));
  }

  #install() {
    const composer = this.#root.getElementById('composer');
    const input = Object.assign(this.#root.createElement('input'), { type: 'file', multiple: true, hidden: true, id: 'file-input' });
    input.dataset.testid = 'file-input';
    const button = Object.assign(this.#root.createElement('button'), { type: 'button', className: 'ghost', textContent: 'File', id: 'file-button' });
    button.title = 'Send a file (or drop it on the chat)';
    button.addEventListener('click', () => input.click());
    input.addEventListener('change', () => {
      this.sendAll([...input.files]);
      input.value = '';
    });
    composer?.prepend(button, input);
    const target = this.#root.getElementById('messages');
    target?.addEventListener('dragover', (event) => {
      event.preventDefault();
      target.classList.add('drop-target');
    });
    target?.addEventListener('dragleave', () => target.classList.remove('drop-target'));
    target?.addEventListener('drop', (event) => {
      event.preventDefault();
      target.classList.remove('drop-target');
      this.sendAll([...(event.dataTransfer?.files ?? [])]);
    });
  }

  /** Sends each file to every open connection, one transfer at a time per file and peer. */
  async sendAll(files) {
    const rv = this.#rendezvous();
    const peers = rv ? [...rv.connections.values()].filter((c) => c.open) : [];
    if (!peers.length) {
      this.#note('No one to send files to yet: pair or join a room first.');
      return;
    }
    for (const file of files) {
      for (const connection of peers) {
        const key = `out:${connection.peerId}:${file.name}`;
        this.#item(key, `you → ${connection.displayName}: ${file.name}`, file.size);
        try {
          await sendFile(connection, file, { onProgress: (bytes, size) => this.#progress(key, bytes, size) });
          this.#status(key, `sent, ${size(file.size)}, SHA-256 verified by the receiver`, 'done');
        } catch (error) {
          this.#status(key, `not sent: ${error.message}`, 'failed');
        }
      }
    }
  }

  #item(key, title, bytes) {
    let item = this.#find(key);
    if (!item) {
      item = this.#root.createElement('li');
      item.className = 'message system file-transfer';
      item.dataset.testid = 'file-transfer';
      item.dataset.key = key;
      item.append(Object.assign(this.#root.createElement('div'), { className: 'file-title', textContent: `${title} (${size(bytes)})` }));
      item.append(Object.assign(this.#root.createElement('progress'), { max: Math.max(1, bytes), value: 0 }));
      item.append(Object.assign(this.#root.createElement('div'), { className: 'file-status', textContent: 'starting…' }));
      const list = this.#root.getElementById('messages');
      list?.append(item);
      if (list) list.scrollTop = list.scrollHeight;
    }
    item.dataset.state = 'running';
    return item;
  }

  #find(key) {
    return [...this.#root.querySelectorAll('li.file-transfer')].find((li) => li.dataset.key === key && li.dataset.state === 'running') ?? null;
  }

  #progress(key, bytes, total) {
    const item = this.#find(key);
    if (!item) return;
    item.querySelector('progress').value = bytes;
    item.querySelector('.file-status').textContent = `${size(bytes)} of ${size(total)}`;
  }

  #status(key, text, state) {
    const item = this.#find(key);
    if (!item) return null;
    item.querySelector('.file-status').textContent = text;
    item.dataset.state = state;
    return item;
  }

  #received(key, name, bytes, blob, stored) {
    const item = this.#find(key) ?? this.#item(key, name, bytes);
    item.querySelector('progress').value = bytes;
    const link = Object.assign(this.#root.createElement('a'), { href: URL.createObjectURL(blob), download: name, textContent: `Download ${name}` });
    link.dataset.testid = 'file-download';
    link.dataset.stored = stored; // 'opfs' (on disk) or 'memory' 
    item.querySelector('.file-status').replaceChildren(`received, ${size(bytes)}, SHA-256 verified — `, link);
    item.dataset.state = 'done';
  }

  #failed(key, name, reason) {
    if (!this.#status(key, `failed: ${reason}`, 'failed')) this.#note(`A file transfer${name ? ` (${name})` : ''} failed: ${reason}`);
    this.#log?.add?.('files', 'file_failed', { name, reason }, 'warn');
  }

  #note(text) {
    const item = Object.assign(this.#root.createElement('li'), { className: 'message system', textContent: text });
    this.#root.getElementById('messages')?.append(item);
  }
}

function size(bytes) {
  return bytes < 1024 ? `${bytes} B` : bytes < MIB ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / MIB).toFixed(1)} MiB`;
}
