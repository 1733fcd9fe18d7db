// A plain Node server in CommonJS, the `http.createServer(handler).listen(port)` shape of Node's own docs.
const http = require('node:http');

// No state in memory: under tgun several worker processes answer, as under gunicorn.
const notes = ['first note'];
const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  if (req.method === 'GET' && url.pathname === '/') {
    res.writeHead(200, { 'content-type': 'text/html' });
    return res.end('<h1>plain node</h1>');
  }
  if (url.pathname === '/notes' && req.method === 'POST') {
    let body = '';
    for await (const chunk of req) body += chunk;
    const id = notes.length + 1;
    res.writeHead(201, { 'content-type': 'application/json', location: `/notes/${id}` });
    return res.end(JSON.stringify({ id, text: body }));
  }
  if (url.pathname === '/notes' && req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify(notes));
  }
  if (url.pathname === '/query') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify(Object.fromEntries(url.searchParams)));
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
});
server.keepAliveTimeout = 30_000;
server.listen(process.env.PORT || 3000, () => console.log('Server running'));
module.exports = server;
