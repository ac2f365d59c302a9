import { join } from 'node:path';
import { LocatedError } from '../../workspace/located-error.js';
import { YamlFile } from '../../workspace/yaml-file.js';
import type { RequestKind } from '../tracker/request-kind.js';
import type { FileDigestKind } from './file-digest.js';

/**
 * The parsed value of one YAML file (a package's assets.yaml), kept in the store: a fresh
 * process re-parses only the files whose digest changed. Positions are not kept; a YamlFile built
 * from this value parses the text again only when an error needs a line and column.
 */
export function yamlValueKind(root: string, file: FileDigestKind): RequestKind<string, unknown> {
  return {
    name: 'yaml',
    key: (path) => path,
    run(path, api) {
      if (api.get(file, path).digest === 'absent') throw new LocatedError('cannot read: no such file', { file: path });
      return YamlFile.read(join(root, path), path).toJS() ?? null;
    },
  };
}
