/** `kiln ui`: the studio page on its own loopback server (no builds, no watching). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StudioHandler, type StudioOptions } from './studio-handler.js';

export class StudioServer {
  private readonly http: Server;
  private readonly handler: StudioHandler;

  constructor(options: StudioOptions) {
    this.handler = new StudioHandler(options);
    this.http = createServer((req, res) => {
      void this.handler.handle(req, res).then((handled) => {
        if (!handled) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      });
    });
  }

  /** Always 127.0.0.1: the page shows unreleased assets and is for this machine only. */
  async listen(port = 0): Promise<{ port: number; url: string }> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, '127.0.0.1', () => resolve());
    });
    // After the current tick, so the caller can print the URL first.
    setTimeout(() => this.handler.warm(), 0);
    const address = this.http.address() as AddressInfo;
    return { port: address.port, url: `http://127.0.0.1:${address.port}` };
  }

  async close(): Promise<void> {
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}
