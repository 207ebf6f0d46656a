'use strict';
// Plays the SMS provider the gateway sends through (Peerless' JSON API): answers every send at
// once with a JSON receipt, and counts sends by their text, so that a send made twice shows.
const http = require('node:http');

let received = 0;
let duplicates = 0;
const texts = new Set();

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    received += 1;
    let text = '';
    try {
      text = String(JSON.parse(Buffer.concat(chunks).toString('utf8')).text);
    } catch {
      // counted as received; an unreadable body cannot be checked for repeats
    }
    if (texts.has(text)) duplicates += 1;
    else texts.add(text);
    const body = JSON.stringify({ id: `pl-${received}`, status: 'accepted' });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 65000;
server.listen(0, '127.0.0.1', () => {
  process.send({ type: 'listening', port: server.address().port });
});

process.on('message', (msg) => {
  if (msg.type === 'stats') process.send({ type: 'stats', id: msg.id, received, duplicates });
  if (msg.type === 'reset') {
    received = 0;
    duplicates = 0;
    texts.clear();
    process.send({ type: 'reset', id: msg.id });
  }
});
process.on('disconnect', () => process.exit(0));
