'use strict';
// The yardstick: a bare node:http server that reads the request and answers a small JSON body.
// The gateway's throughput is reported as a ratio to this server's, measured in the same run.
const http = require('node:http');

const BODY = JSON.stringify({ status: 'ok' });

const server = http.createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': BODY.length });
    res.end(BODY);
  });
});
server.keepAliveTimeout = 65000;
server.listen(0, '127.0.0.1', () => {
  process.send({ type: 'listening', port: server.address().port });
});
process.on('disconnect', () => process.exit(0));
