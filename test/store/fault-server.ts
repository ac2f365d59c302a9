/** node:http servers that misbehave on purpose, standing in for a sick remote cache. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault = 'stall' | 'stall-after-first' | 'stall-body' | 'error-503' | 'truncate' | 'record';

export interface FaultServer {
  url: string;
  /** Every request seen: method, path, authorization header. */
  requests: { method: string; path: string; authorization: string | undefined }[];
  /** Bodies stored by `record` servers (which behave like a tiny WebDAV cache). */
  stored: Map<string, Buffer>;
  close(): Promise<void>;
}

export async function startFaultServer(fault: Fault): Promise<FaultServer> {
  const requests: FaultServer['requests'] = [];
  const stored = new Map<string, Buffer>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = request.url ?? '/';
    requests.push({ method: request.method ?? '', path, authorization: request.headers.authorization });
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (fault === 'stall') return; // never answer; the client's timeout has to fire
      // Answer the first request (a healthy server as far as the client can tell), then never again.
      if (fault === 'stall-after-first' && requests.length > 1) return;
      if (fault === 'stall-body') {
        // Headers and a first chunk arrive promptly, the rest never does.
        response.writeHead(200, { 'content-length': '1000' });
        response.write(Buffer.alloc(10, 7));
        return;
      }
      if (fault === 'error-503') {
        response.writeHead(503, { 'content-type': 'text/plain' }).end('overloaded');
        return;
      }
      if (fault === 'truncate') {
        if (request.method === 'PUT') {
          response.writeHead(201).end();
          return;
        }
        // Promise 1000 bytes, send 10, then drop the connection.
        response.writeHead(200, { 'content-length': '1000' });
        response.write(Buffer.alloc(10, 7));
        setTimeout(() => request.socket.destroy(), 5);
        return;
      }
      if (request.method === 'PUT') {
        stored.set(path, Buffer.concat(chunks));
        response.writeHead(201).end();
        return;
      }
      const body = stored.get(path);
      if (!body) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-length': String(body.length) });
      response.end(request.method === 'HEAD' ? undefined : body);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stored,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
