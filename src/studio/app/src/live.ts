/**
 * `kiln watch` events on the page: the dev server's `/ws` protocol (build-started, changed, error,
 * recovered, …) turned into a status line, an error banner with file:line, and callbacks that let
 * the views refresh what changed, without reloading the page.
 */
import { HotReloadRate } from '../../../metrics/hot-reload-rate.js';

export interface LiveEvents {
  changed(label: string, digest: string): void;
  /** Targets failing now, each with where (file:line:column) when known. */
  errors(list: { label: string; where: string; message: string }[]): void;
  /** A build finished: the graph may have changed (assets.yaml edits). */
  finished(ok: boolean): void;
}

interface Message {
  type: string;
  label?: string;
  digest?: string;
  file?: string;
  line?: number;
  column?: number;
  message?: string;
  ok?: boolean;
  executed?: number;
  errors?: Message[];
  build?: number;
}

export function connectLive(status: HTMLElement, events: LiveEvents): void {
  const failing = new Map<string, { label: string; where: string; message: string }>();
  const rate = new HotReloadRate();
  const publish = () => events.errors([...failing.values()]);
  const setStatus = (text: string, kind: string) => {
    status.textContent = text;
    status.className = `status ${kind}`;
  };
  const open = () => {
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
    socket.addEventListener('open', () => setStatus('watching', 'ok'));
    socket.addEventListener('close', () => {
      setStatus('disconnected: retrying', 'error');
      setTimeout(open, 1000);
    });
    socket.addEventListener('message', (event) => {
      let message: Message;
      try {
        message = JSON.parse(String(event.data)) as Message;
      } catch {
        return;
      }
      const where = (m: Message) => (m.file ? `${m.file}${m.line !== undefined ? `:${m.line}` : ''}${m.column !== undefined ? `:${m.column}` : ''}` : '');
      switch (message.type) {
        case 'hello':
          failing.clear();
          for (const e of message.errors ?? []) failing.set(e.label ?? '', { label: e.label ?? '', where: where(e), message: e.message ?? '' });
          publish();
          setStatus(`watching (build ${message.build ?? 0})`, failing.size ? 'error' : 'ok');
          break;
        case 'build-started':
          setStatus(`building #${message.build}…`, 'building');
          break;
        case 'build-finished':
          setStatus(`build #${message.build} ${message.ok ? 'ok' : 'failed'} · ${rate.perMinute()} hot reloads/min`, message.ok ? 'ok' : 'error');
          events.finished(message.ok === true);
          break;
        case 'changed':
          rate.record();
          events.changed(message.label ?? '', message.digest ?? '');
          break;
        case 'error':
          failing.set(message.label ?? '', { label: message.label ?? '', where: where(message), message: message.message ?? '' });
          publish();
          break;
        case 'recovered':
          failing.delete(message.label ?? '');
          publish();
          break;
      }
    });
  };
  open();
}
