// Test harness around the unmodified `peerjs` client (window.peerjs, loaded before this file). Every
// page records what its Peer and its connections report in window.log, and what it received in
// window.received; the Java test waits on those. Loopback only: getUserMedia first (Chromium then
// gathers 127.0.0.1 candidates), no ICE servers at all (PeerJS's default config would name public ones).
window.log = [];
window.received = [];
window.conns = {};
window.frames = 0;

window.describe = (d) => {
    if (d instanceof ArrayBuffer) return { kind: 'ArrayBuffer', bytes: Array.from(new Uint8Array(d)) };
    if (ArrayBuffer.isView(d)) return { kind: 'view', bytes: Array.from(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)) };
    return { kind: typeof d, value: d };
};

window.track = (conn) => {
    window.conns[conn.peer] = conn;
    conn.on('open', () => window.log.push('conn-open:' + conn.peer));
    conn.on('data', (d) => window.received.push(window.describe(d)));
    conn.on('close', () => window.log.push('conn-close:' + conn.peer));
    conn.on('error', (e) => window.log.push('conn-error:' + e.type));
};

window.watchVideo = (stream) => {
    const video = document.createElement('video');
    video.muted = true;
    video.autoplay = true;
    video.playsInline = true;
    video.srcObject = stream;
    document.documentElement.appendChild(video);
    const count = () => {
        window.frames = video.getVideoPlaybackQuality().totalVideoFrames;
        window.videoSize = [video.videoWidth, video.videoHeight];
        video.requestVideoFrameCallback(count);
    };
    video.requestVideoFrameCallback(count);
    video.play().catch((e) => window.log.push('play-error:' + e.message));
};

/** Starts a Peer (id null: the server's /id) and resolves with its id, or 'error:<type>'. */
window.startPeer = async ({ id, port, path, key }) => {
    window.mic = window.mic || await navigator.mediaDevices.getUserMedia({ audio: true });
    const options = { host: '127.0.0.1', port, path, key, secure: false, debug: 1, config: { iceServers: [] } };
    const peer = id ? new peerjs.Peer(id, options) : new peerjs.Peer(options);
    window.peer = peer;
    peer.on('open', (openId) => window.log.push('open:' + openId));
    peer.on('connection', (conn) => { window.log.push('connection:' + conn.peer); window.track(conn); });
    peer.on('error', (e) => window.log.push('error:' + e.type));
    peer.on('disconnected', () => window.log.push('disconnected'));
    peer.on('close', () => window.log.push('close'));
    peer.on('call', (call) => {
        window.log.push('call:' + call.peer);
        call.on('stream', (stream) => { window.log.push('stream:' + call.peer); window.watchVideo(stream); });
        call.answer();
    });
    return new Promise((resolve) => {
        peer.once('open', (openId) => resolve(openId));
        peer.once('error', (e) => resolve('error:' + e.type));
    });
};

window.connectTo = (other) => window.track(window.peer.connect(other, { reliable: true }));

window.callWithCamera = async (other) => {
    const camera = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 } });
    const call = window.peer.call(other, camera);
    call.on('error', (e) => window.log.push('call-error:' + e.type));
};
