#!/usr/bin/env node
// The sample application: a small HTTP server for the site folder. Every answer names the release it
// serves (x-release: the deployment that installed it), and GET /release answers only that. Files and
// folders whose name starts with a dot (.env) are never served. SIGTERM closes it gracefully: it stops
// accepting connections and exits once the requests in progress are answered.
// Settings (environment): WEB_PORT (default 8080), WEB_ROOT (default /srv/web), WEB_RELEASE.

const { createServer } = require('node:http');
const { readFile } = require('node:fs/promises');
const { extname, join, normalize, sep } = require('node:path');

const port = Number(process.env.WEB_PORT || 8080);
const root = process.env.WEB_ROOT || '/srv/web';
const release = process.env.WEB_RELEASE || 'unknown';
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript' };

const server = createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url || '/', 'http://localhost').pathname);
  const headers = { 'x-release': release };
  if (path === '/release') {
    res.writeHead(200, { ...headers, 'content-type': 'text/plain' }).end(`${release}\n`);
    return;
  }
  const relative = normalize(path === '/' ? '/index.html' : path).slice(1);
  if (relative.split(sep).some((part) => part.startsWith('.') || part === '')) {
    res.writeHead(404, headers).end();
    return;
  }
  try {
    const body = await readFile(join(root, relative));
    res.writeHead(200, {
      ...headers,
      'content-type': TYPES[extname(relative)] || 'application/octet-stream',
    });
    res.end(body);
  } catch {
    res.writeHead(404, headers).end();
  }
});

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
});
server.listen(port, '127.0.0.1', () => console.log(`web ${release} listening on 127.0.0.1:${port}`));
