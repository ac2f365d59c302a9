/** The machine a benchmark ran on, as one Markdown line (figures mean little without it). */
import { availableParallelism, cpus, release, totalmem, type as osType } from 'node:os';

export function machineInfo(date = new Date()): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const memory = `${(totalmem() / 2 ** 30).toFixed(1)} GiB`;
  return `${cpu}, ${availableParallelism()} cores available (${cpus().length} logical CPUs), ${memory} RAM, ${osType()} ${release()}, Node ${process.version}, ${date.toISOString()}`;
}
