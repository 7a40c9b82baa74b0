// Resident memory per idle WebSocket session of a running server, without the load client's
// pacing: opens N sessions (1,000 at a time, a second apart), waits for each `ready`, and reads
// the server's VmRSS before and after. Used to choose the server's young-generation size
// (docs/operations.md, "Memory"):
//   PORT=3998 DATABASE_URL=sqlite:/tmp/rss.sqlite LOG_LEVEL=warn node [flags] server/dist/main.js &
//   node bench/probes/idle-rss.js 3998 2000 <server pid>
// Tokens are signed with the development secret the server uses when JWT_SECRET is unset.
const fs = require('node:fs');
const jwt = require('jsonwebtoken');
const WebSocket = require('ws');

const [port, sessions, pid] = [process.argv[2], Number(process.argv[3] ?? 2000), Number(process.argv[4])];
const secret = process.env.JWT_SECRET ?? 'development-only-secret-never-use-in-production';
const rssKb = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);

(async () => {
  const before = rssKb();
  const opening = [];
  for (let index = 0; index < sessions; index++) {
    const token = jwt.sign({ sub: `idle-${index}` }, secret, { algorithm: 'HS256', expiresIn: 3600 });
    opening.push(
      new Promise((resolve, reject) => {
        const socket = new WebSocket(`ws://127.0.0.1:${port}/ws?access_token=${token}`);
        socket.on('message', (frame) => String(frame).includes('"ready"') && resolve());
        socket.on('error', reject);
      }),
    );
    if (index % 1000 === 999) await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  await Promise.all(opening);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = rssKb();
  console.log(`${sessions} sessions: RSS ${before} → ${after} KB, ${((after - before) / sessions).toFixed(1)} KB per session`);
  process.exit(0);
})();
