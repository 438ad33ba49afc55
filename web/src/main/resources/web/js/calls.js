// Calls on the demo page: camera, microphone and screen share on/off, and a grid of videos (yours and
// every remote stream). A user of the SDK only: local tracks go to `Rendezvous.addTrack` (every peer,
// now and later), remote tracks come from each Connection's 'track' / 'trackremoved' events.
// Page thread only.

export class Calls {
  #root;
  #log;
  #rendezvous;
  #onChange;
  #camera = null; // {track, stream}
  #mic = null;
  #screen = null;
  #localStream = new MediaStream(); // camera + microphone, one stream so the far side plays them in sync
  #tiles = new Map(); // key → tile element

  constructor({ root, log, rendezvous, onChange = () => {} }) {
    this.#root = root;
    this.#log = log;
    this.#rendezvous = rendezvous;
    this.#onChange = onChange;
    this.#el('camera-button').addEventListener('click', () => this.toggleCamera());
    this.#el('mic-button').addEventListener('click', () => this.toggleMic());
    this.#el('screen-button').addEventListener('click', () => this.toggleScreen());
  }

  /** Follows a new Rendezvous (lobby ↔ room): its connections' tracks, and our running tracks sent to it. */
  attach(rv) {
    for (const key of [...this.#tiles.keys()]) if (!key.startsWith('local/')) this.#removeTile(key);
    rv.addEventListener('connection', (event) => this.#watch(event.detail));
    for (const local of [this.#camera, this.#mic, this.#screen]) if (local) rv.addTrack(local.track, local.stream);
  }

  get active() {
    return { camera: this.#camera !== null, microphone: this.#mic !== null, screen: this.#screen !== null };
  }

  async toggleCamera() {
    if (this.#camera) return this.#stop('camera');
    const track = await this.#capture(() => navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360 } }), 'camera');
    if (track) this.#start('camera', track, this.#localStream);
  }

  async toggleMic() {
    if (this.#mic) return this.#stop('mic');
    const track = await this.#capture(() => navigator.mediaDevices.getUserMedia({ audio: true }), 'microphone');
    if (track) this.#start('mic', track, this.#localStream);
  }

  async toggleScreen() {
    if (this.#screen) return this.#stop('screen');
    const track = await this.#capture(() => navigator.mediaDevices.getDisplayMedia({ video: true }), 'screen');
    if (!track) return;
    track.addEventListener('ended', () => this.#screen?.track === track && this.#stop('screen')); // "Stop sharing" in the browser
    this.#start('screen', track, new MediaStream([track]));
  }

  async #capture(ask, what) {
    try {
      const stream = await ask();
      return stream.getTracks()[0] ?? null;
    } catch (error) {
      this.#log.add('app', 'capture_failed', { what, error: error.message }, 'error');
      return null;
    }
  }

  #start(slot, track, stream) {
    if (stream === this.#localStream) stream.addTrack(track);
    const local = { track, stream };
    if (slot === 'camera') this.#camera = local;
    else if (slot === 'mic') this.#mic = local;
    else this.#screen = local;
    this.#log.add('app', `${slot}_on`, { label: track.label });
    this.#rendezvous()?.addTrack(track, stream);
    this.#render();
  }

  #stop(slot) {
    const local = slot === 'camera' ? this.#camera : slot === 'mic' ? this.#mic : this.#screen;
    if (!local) return;
    if (slot === 'camera') this.#camera = null;
    else if (slot === 'mic') this.#mic = null;
    else this.#screen = null;
    this.#rendezvous()?.removeTrack(local.track);
    if (local.stream === this.#localStream) this.#localStream.removeTrack(local.track);
    local.track.stop();
    this.#log.add('app', `${slot}_off`, {});
    this.#render();
  }

  #watch(connection) {
    const key = (stream) => `${connection.peerId}/${stream.id}`;
    connection.addEventListener('track', ({ detail }) => {
      const tile = this.#tile(key(detail.stream), connection.displayName, detail.stream, false);
      tile.dataset.peerId = connection.peerId;
      this.#refreshTile(key(detail.stream), detail.stream);
    });
    connection.addEventListener('trackremoved', ({ detail }) => this.#refreshTile(key(detail.stream), detail.stream));
    connection.addEventListener('close', () => {
      for (const k of [...this.#tiles.keys()]) if (k.startsWith(`${connection.peerId}/`)) this.#removeTile(k);
    });
  }

  /** A remote stream's tile shows while the stream has tracks; its kind list says what it carries. */
  #refreshTile(key, stream) {
    const tracks = stream.getTracks();
    if (!tracks.length) {
      this.#removeTile(key);
      return;
    }
    const tile = this.#tiles.get(key);
    if (tile) tile.dataset.kinds = tracks.map((t) => t.kind).sort().join(' ');
    this.#onChange();
  }

  #render() {
    this.#button('camera-button', this.#camera !== null);
    this.#button('mic-button', this.#mic !== null);
    this.#button('screen-button', this.#screen !== null);
    const hasVideo = this.#localStream.getVideoTracks().length > 0;
    if (hasVideo) this.#tile('local/camera', 'You', this.#localStream, true);
    else this.#removeTile('local/camera');
    if (this.#screen) this.#tile('local/screen', 'Your screen', this.#screen.stream, true);
    else this.#removeTile('local/screen');
    this.#onChange();
  }

  #button(id, on) {
    const button = this.#el(id);
    button.setAttribute('aria-pressed', String(on));
    button.classList.toggle('on', on);
  }

  #tile(key, label, stream, local) {
    let tile = this.#tiles.get(key);
    if (!tile) {
      tile = document.createElement('figure');
      tile.className = `video-tile${local ? ' local' : ''}`;
      tile.dataset.key = key;
      const video = document.createElement('video');
      video.autoplay = true;
      video.playsInline = true;
      video.muted = local; // never play our own microphone back
      const caption = document.createElement('figcaption');
      tile.append(video, caption);
      this.#tiles.set(key, tile);
      this.#el('video-grid').append(tile);
    }
    const video = tile.querySelector('video');
    if (video.srcObject !== stream) video.srcObject = stream;
    tile.querySelector('figcaption').textContent = label;
    this.#el('video-grid').classList.toggle('hidden', this.#tiles.size === 0);
    return tile;
  }

  #removeTile(key) {
    const tile = this.#tiles.get(key);
    if (!tile) return;
    this.#tiles.delete(key);
    tile.querySelector('video').srcObject = null;
    tile.remove();
    this.#el('video-grid').classList.toggle('hidden', this.#tiles.size === 0);
  }

  #el(id) {
    return this.#root.getElementById(id);
  }
}
