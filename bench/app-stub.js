'use strict';
// Plays the application behind a messaging webhook: answers every call at once with an empty
// 200 (no verbs), checks the Jambonz-Signature against the account's secret, and counts calls
// by messageSid, so that a message delivered twice, or not at all, shows.
const http = require('node:http');
const { createHmac } = require('node:crypto');

const secret = process.env.BENCH_WEBHOOK_SECRET || '';

let calls = 0;
let duplicates = 0;
let badSignatures = 0;
let unreadable = 0;
let firstAt = 0;
let lastAt = 0;
const delivered = new Set();

function signatureOk(header, body) {
  if (!secret) return true;
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(typeof header === 'string' ? header : '');
  if (!m) return false;
  return createHmac('sha256', secret).update(`${m[1]}.${body}`, 'utf8').digest('hex') === m[2];
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    calls += 1;
    const now = Date.now();
    if (firstAt === 0) firstAt = now;
    lastAt = now;
    if (!signatureOk(req.headers['jambonz-signature'], body)) badSignatures += 1;
    let sid;
    try {
      sid = JSON.parse(body).messageSid;
    } catch {
      sid = undefined;
    }
    if (typeof sid !== 'string') unreadable += 1;
    else if (delivered.has(sid)) duplicates += 1;
    else delivered.add(sid);
    res.writeHead(200, { 'content-length': 0 });
    res.end();
  });
});
server.keepAliveTimeout = 65000;
server.listen(0, '127.0.0.1', () => {
  process.send({ type: 'listening', port: server.address().port });
});

process.on('message', (msg) => {
  switch (msg.type) {
    case 'stats':
      process.send({
        type: 'stats',
        id: msg.id,
        calls,
        delivered: delivered.size,
        duplicates,
        badSignatures,
        unreadable,
        firstAt,
        lastAt,
      });
      break;
    case 'missing': {
      // Which of the acknowledged messageSids never arrived (the first few, and how many).
      const missing = msg.sids.filter((s) => !delivered.has(s));
      process.send({
        type: 'missing',
        id: msg.id,
        count: missing.length,
        sample: missing.slice(0, 5),
      });
      break;
    }
    case 'reset':
      calls = duplicates = badSignatures = unreadable = firstAt = lastAt = 0;
      delivered.clear();
      process.send({ type: 'reset', id: msg.id });
      break;
  }
});
process.on('disconnect', () => process.exit(0));
