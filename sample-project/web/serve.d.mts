export interface ServedRequest {
  path: string;
  range: string | null;
  status: number;
  bytes: number;
}
export interface DemoServer {
  url: string;
  requests: ServedRequest[];
  runtimeEntry: string;
  close(): Promise<void>;
}
export function buildRuntimeForBrowser(): Promise<{ code: string; entry: string }>;
export function startServer(options?: { out?: string; port?: number; host?: string }): Promise<DemoServer>;
