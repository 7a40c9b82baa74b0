// What writing a fan-out's frames costs the server, apart from everything else it does: a ws
// server (pinned to CPU 0) with 5,000 sessions sends each, per round, the project's two frames
// (a notification of the bench's size and an `unread` count) in three ways, rounds alternating:
//   strings   the project's way: both frames as text, corked together, one write per socket
//   buffers   the same frames encoded to bytes first (a Buffer per notification, one shared unread)
//   one-frame the floor's way: the notification alone, no unread frame, uncorked
// It prints the server's CPU for the round (ws and the kernel's write) and the time until this
// process, the clients (run it on CPU 1), has read every frame.
//
//   taskset -c 1 node bench/micro/socket-writes.js
const { fork, execFileSync } = require('node:child_process');
const { WebSocket, WebSocketServer } = require('ws');

const SESSIONS = 5000;
const ROUNDS = 24;
const VARIANTS = ['strings', 'buffers', 'one-frame'];

if (process.argv[2] === 'server') serve();
else measure();

function serve() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  const sockets = [];
  wss.on('connection', (socket) => sockets.push(socket));
  wss.on('listening', () => process.send({ port: wss.address().port }));
  const fields = { type: 'bench.fanout', title: 'fan-out', body: null, data: { k: 1 }, priority: 'normal', topic: null };
  const recipient = { deliveredAt: null, readAt: null, seenAt: null, archivedAt: null, snoozedUntil: null, actionId: null };
  const rest = { createdAt: new Date().toISOString(), expiresAt: null, critical: false, actions: [], groupKey: null, groupCount: 1 };
  const head = '{"event":"notification","data":{"id":"0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","cursor":"';
  const tail = `",${JSON.stringify({ ...fields, ...rest, ...recipient, actionedAt: null, replaces: null }).slice(1)}}`;
  const unread = '{"event":"unread","data":{"count":12,"unseen":12}}';
  const [headBytes, tailBytes, unreadBytes] = [head, tail, unread].map((text) => Buffer.from(text));
  const together = (socket, write) => {
    socket._socket.cork();
    write();
    socket._socket.uncork();
  };
  const send = {
    strings: (socket, cursor) =>
      together(socket, () => {
        socket.send(head + cursor + tail);
        socket.send(unread);
      }),
    buffers: (socket, cursor) =>
      together(socket, () => {
        const digits = String(cursor);
        const frame = Buffer.allocUnsafe(headBytes.length + digits.length + tailBytes.length);
        headBytes.copy(frame, 0);
        frame.latin1Write(digits, headBytes.length);
        tailBytes.copy(frame, headBytes.length + digits.length);
        socket.send(frame, { binary: false });
        socket.send(unreadBytes, { binary: false });
      }),
    'one-frame': (socket, cursor) => socket.send(head + cursor + tail),
  };
  process.on('message', ({ variant, round }) => {
    const cpu = process.cpuUsage();
    let cursor = round * SESSIONS;
    for (const socket of sockets) send[variant](socket, cursor++);
    const used = process.cpuUsage(cpu);
    process.send({ cpuMs: (used.user + used.system) / 1000 });
  });
}

async function measure() {
  const server = fork(__filename, ['server']);
  execFileSync('taskset', ['-pc', '0', String(server.pid)], { stdio: 'ignore' });
  const { port } = await new Promise((resolve) => server.once('message', resolve));
  let received = 0;
  let expected = Infinity;
  let allReceived = () => {};
  for (let index = 0; index < SESSIONS; index++) {
    const socket = new WebSocket(`ws://127.0.0.1:${port}`, { localAddress: `127.0.0.${1 + (index % 4)}`, perMessageDeflate: false });
    socket.on('message', (data) => {
      JSON.parse(data.toString());
      if (++received === expected) allReceived();
    });
    await new Promise((resolve) => socket.once('open', resolve));
  }
  const figures = Object.fromEntries(VARIANTS.map((variant) => [variant, { cpu: [], time: [] }]));
  for (let round = 0; round < ROUNDS; round++) {
    const variant = VARIANTS[round % VARIANTS.length];
    received = 0;
    expected = variant === 'one-frame' ? SESSIONS : 2 * SESSIONS;
    const startedAt = performance.now();
    const done = new Promise((resolve) => (allReceived = resolve));
    const serverCpu = new Promise((resolve) => server.once('message', resolve));
    server.send({ variant, round });
    const [{ cpuMs }] = await Promise.all([serverCpu, done]);
    // The first round of each is a warm-up.
    if (round >= VARIANTS.length) {
      figures[variant].cpu.push(cpuMs);
      figures[variant].time.push(performance.now() - startedAt);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1].toFixed(1);
  for (const [variant, { cpu, time }] of Object.entries(figures)) {
    console.log(`${variant.padEnd(10)} server CPU ${median(cpu)} ms, every frame read after ${median(time)} ms (medians of ${cpu.length})`);
  }
  server.kill();
  process.exit(0);
}
