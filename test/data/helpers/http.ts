// A loopback HTTP server over a folder, for reading data from http:// URLs in tests. Only files under the
// folder are served; anything else is a 404.

import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface FolderServer {
  /** http://127.0.0.1:<port> (no trailing slash) */
  url: string;
  /** paths requested so far */
  requests: string[];
  close(): Promise<void>;
}

export async function serveFolder(root: string): Promise<FolderServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(url.pathname);
    const file = path.join(root, decodeURIComponent(url.pathname));
    let ok = false;
    try {
      ok = file.startsWith(path.resolve(root) + path.sep) && statSync(file).isFile();
    } catch {
      ok = false;
    }
    if (!ok) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
