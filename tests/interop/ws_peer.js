#!/usr/bin/env node
// A Node.js `ws` peer for tradewire's interoperability tests (127.0.0.1 only); the same
// modes and commands as ws_peer.py:
//
//   node ws_peer.js echo-server [--tls CERT KEY]   echo server obeying "cmd:" messages
//   node ws_peer.js drive-server [--close-code N]  drives an echo client through a battery
//   node ws_peer.js client URL [--ca CA]           runs the battery against an echo server
//
// Run with NODE_PATH=<repo>/build/test-peers/node_modules (scripts/install-test-peers.sh).
'use strict';

const fs = require('fs');
const https = require('https');
const { WebSocket, WebSocketServer } = require('ws');

const MAX_SIZE = 256 * 1024 * 1024;

function textPayload(n) {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; ++i) b[i] = ((i * 7 + 13) % 94) + 33;
  return b.toString('latin1');
}

function binaryPayload(n) {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; ++i) b[i] = (i * 31 + 7) & 0xff;
  return b;
}

function battery() {
  const items = [['text', 'hello'], ['binary', Buffer.from([...Array(256).keys()])], ['text', ''], ['binary', Buffer.alloc(0)]];
  for (const n of [125, 126, 127, 65535, 65536, 65537]) {
    items.push(['text', textPayload(n)]);
    items.push(['binary', binaryPayload(n)]);
  }
  items.push(['binary', binaryPayload(8 * 1024 * 1024)]);
  items.push(['text', textPayload(3 * 1024 * 1024 + 5)]);
  return items;
}

// Sends `data` as `count` fragments (the last ones may be empty).
function sendFragments(ws, data, count, binary) {
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data, 'latin1');
  const size = Math.ceil(buf.length / count);
  for (let i = 0; i < count; ++i) {
    ws.send(buf.subarray(i * size, Math.min(buf.length, (i + 1) * size)), { binary, fin: i === count - 1 });
  }
}

// Messages in arrival order, awaitable one by one.
function inbox(ws) {
  const queue = [];
  const waiters = [];
  ws.on('message', (data, isBinary) => {
    const m = { binary: isBinary, data };
    if (waiters.length) waiters.shift()(m); else queue.push(m);
  });
  return () => new Promise((resolve) => {
    if (queue.length) resolve(queue.shift()); else waiters.push(resolve);
  });
}

async function runBattery(ws, next) {
  for (const [kind, payload] of battery()) {
    ws.send(payload, { binary: kind === 'binary' });
    const m = await next();
    const expected = Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'latin1');
    if (m.binary !== (kind === 'binary') || !Buffer.from(m.data).equals(expected)) {
      return `echo of a ${kind} message of ${expected.length} bytes differs`;
    }
  }
  for (const [data, binary] of [[textPayload(100000), false], [binaryPayload(300000), true]]) {
    sendFragments(ws, data, 7, binary);
    const m = await next();
    const expected = Buffer.isBuffer(data) ? data : Buffer.from(data, 'latin1');
    if (m.binary !== binary || !Buffer.from(m.data).equals(expected)) return 'echo of a fragmented message differs';
  }
  const pong = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), 10000);
    ws.once('pong', (data) => { clearTimeout(timer); resolve(data.toString()); });
    ws.ping('are you there');
  });
  if (pong !== 'are you there') return 'no pong';
  return null;
}

function closeAndCheck(ws, code, reason) {
  return new Promise((resolve) => {
    ws.once('close', (got) => resolve(got === code ? null : `peer answered close ${code} with ${got}`));
    ws.close(code, reason);
  });
}

function echoHandler(ws) {
  ws.on('message', (data, isBinary) => {
    if (!isBinary) {
      const text = data.toString();
      if (text.startsWith('cmd:')) {
        const parts = text.split(':');
        if (parts[1] === 'fragments') {
          const count = Number(parts[2]); const size = Number(parts[3]); const binary = parts[4] === 'binary';
          sendFragments(ws, binary ? binaryPayload(size) : textPayload(size), count, binary);
        } else if (parts[1] === 'big') {
          ws.send(binaryPayload(Number(parts[2])), { binary: true });
        } else if (parts[1] === 'ping') {
          const payload = text.split(':').slice(2).join(':');
          ws.once('pong', (d) => ws.send('pong:' + d.toString()));
          ws.ping(payload);
        } else if (parts[1] === 'close') {
          ws.close(Number(parts[2]), text.split(':').slice(3).join(':'));
        }
        return;
      }
    }
    ws.send(data, { binary: isBinary });
  });
}

function listen(onConnection, tls) {
  let options = { host: '127.0.0.1', port: 0, maxPayload: MAX_SIZE, perMessageDeflate: false };
  let announce;
  if (tls) {
    const server = https.createServer({ cert: fs.readFileSync(tls[0]), key: fs.readFileSync(tls[1]) });
    options = { server, maxPayload: MAX_SIZE, perMessageDeflate: false };
    server.listen(0, '127.0.0.1', () => console.log(`PORT ${server.address().port}`));
  } else {
    announce = true;
  }
  const wss = new WebSocketServer(options);
  if (announce) wss.on('listening', () => console.log(`PORT ${wss.address().port}`));
  wss.on('connection', onConnection);
  return wss;
}

function arg(argv, name) {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv) {
  const mode = argv[2];
  if (mode === 'echo-server') {
    const i = argv.indexOf('--tls');
    listen(echoHandler, i >= 0 ? [argv[i + 1], argv[i + 2]] : null);
    return;
  }
  if (mode === 'drive-server') {
    const code = Number(arg(argv, '--close-code') || 4000);
    const wss = listen(async (ws) => {
      const next = inbox(ws);
      let problem = await runBattery(ws, next);
      if (problem === null) problem = await closeAndCheck(ws, code, 'drive done');
      console.log(problem === null ? 'OK' : `FAIL: ${problem}`);
      wss.close();
      process.exitCode = problem === null ? 0 : 1;
    });
    return;
  }
  if (mode === 'client') {
    const url = argv[3];
    const ca = arg(argv, '--ca');
    const ws = new WebSocket(url, { maxPayload: MAX_SIZE, perMessageDeflate: false, ca: ca ? fs.readFileSync(ca) : undefined });
    const next = inbox(ws);
    ws.on('error', (e) => { console.log(`FAIL: ${e.message}`); process.exit(1); });
    ws.on('open', async () => {
      let problem = await runBattery(ws, next);
      if (problem === null) problem = await closeAndCheck(ws, 4001, 'bye');
      console.log(problem === null ? 'OK' : `FAIL: ${problem}`);
      process.exitCode = problem === null ? 0 : 1;
    });
    return;
  }
  console.error(`unknown mode ${mode}`);
  process.exitCode = 2;
}

main(process.argv);
