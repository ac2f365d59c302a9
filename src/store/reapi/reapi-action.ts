import { type Digest, digestOf } from '../../hash/digest.js';
import { digestMessage } from './merkle-tree.js';
import { ProtoWriter } from './proto-writer.js';

export interface CommandSpec {
  arguments: string[];
  /** Sorted by name when encoded, as the spec requires. */
  environment: Record<string, string>;
  outputPaths: string[];
  platform: Record<string, string>;
}

export interface EncodedMessage {
  digest: Digest;
  bytes: Uint8Array;
}

function platformMessage(properties: Record<string, string>): ProtoWriter {
  const writer = new ProtoWriter();
  for (const name of Object.keys(properties).sort()) writer.message(1, new ProtoWriter().string(1, name).string(2, properties[name]!));
  return writer;
}

function encoded(writer: ProtoWriter): EncodedMessage {
  const bytes = writer.finish();
  return { digest: digestOf(bytes), bytes };
}

/** A REAPI `Command` (output paths sorted; the platform both here, deprecated, and in the Action). */
export function encodeCommand(spec: CommandSpec): EncodedMessage {
  const writer = new ProtoWriter();
  for (const argument of spec.arguments) writer.string(1, argument);
  for (const name of Object.keys(spec.environment).sort()) {
    writer.message(2, new ProtoWriter().string(1, name).string(2, spec.environment[name]!));
  }
  writer.message(5, platformMessage(spec.platform));
  for (const path of [...spec.outputPaths].sort()) writer.string(7, path);
  return encoded(writer);
}

export interface ActionSpec {
  command: Digest;
  inputRoot: Digest;
  timeoutSeconds: number;
  platform: Record<string, string>;
  /** Varies the Action digest so a retry is not answered from the server's own action cache. */
  salt?: Uint8Array;
}

export function encodeAction(spec: ActionSpec): EncodedMessage {
  const writer = new ProtoWriter()
    .message(1, digestMessage(spec.command))
    .message(2, digestMessage(spec.inputRoot))
    .message(6, new ProtoWriter().uint(1, spec.timeoutSeconds));
  if (spec.salt) writer.bytes(9, spec.salt);
  writer.message(10, platformMessage(spec.platform));
  return encoded(writer);
}
