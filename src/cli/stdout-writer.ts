import { writeSync } from 'node:fs';

/**
 * The CLI's stdout as a function: each text written whole with `fs.writeSync(1)`. Why not
 * `process.stdout`: creating that stream loads Node's stream (and for a pipe, net) modules, a
 * few ms of a no-op build that prints one line; on Linux, where process.stdout writes files and
 * pipes synchronously too, the bytes and their order are the same.
 *
 * A stdout that would block (a non-blocking fd: EAGAIN) gets the rest, and everything after, from
 * `process.stdout`, which queues. Once the reader is gone (EPIPE: `kiln rules | head`), nobody
 * wants the rest of the output: the process stops quietly with the exit code so far.
 */
export function stdoutWriter(): (text: string) => void {
  let stream: NodeJS.WriteStream | undefined;
  const toStream = (bytes: Uint8Array | string): void => {
    if (!stream) {
      stream = process.stdout;
      stream.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error;
        process.exit(process.exitCode ?? 0);
      });
    }
    stream.write(bytes);
  };
  return (text) => {
    if (stream) return toStream(text);
    const bytes = Buffer.from(text);
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(1, bytes, done);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(process.exitCode ?? 0);
      if (code !== 'EAGAIN') throw error;
      toStream(bytes.subarray(done));
    }
  };
}
