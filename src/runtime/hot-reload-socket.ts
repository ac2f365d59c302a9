/**
 * The little of the WebSocket API the hot-reload client uses, so it runs on the browser's global
 * `WebSocket` and on Node 20 with `ws`'s `WebSocket` passed in (Node 20 has no global client).
 */
export interface SocketLike {
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  close(): void;
}

export type SocketConstructor = new (url: string) => SocketLike;

/** The global WebSocket when there is one (browsers, Node with --experimental-websocket). */
export function globalSocket(): SocketConstructor | undefined {
  const candidate = (globalThis as { WebSocket?: unknown }).WebSocket;
  return typeof candidate === 'function' ? (candidate as SocketConstructor) : undefined;
}

/** Text of a message event whatever the implementation delivers (string, ArrayBuffer, Buffer). */
export function messageText(data: unknown): string | undefined {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  if (ArrayBuffer.isView(data)) return new TextDecoder().decode(data as Uint8Array);
  return undefined;
}
