/**
 * Runs the particle JSON Schema with ajv (loaded lazily: it costs CLI start-up time) and turns
 * the most specific error into a RuleError at the offending value's line.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { RuleError } from '../../src/rule/rule-error.js';
import type { StructuredSource } from '../../src/rule/structured-source.js';
import type { ParticleFile } from './particle-file.js';
import { PARTICLE_SCHEMA } from './particle-schema.js';

let compiled: Promise<ValidateFunction> | undefined;

function validator(): Promise<ValidateFunction> {
  compiled ??= import('ajv').then(({ Ajv }) => new Ajv({ allErrors: true, strict: true }).compile(PARTICLE_SCHEMA));
  return compiled;
}

function pathOf(error: ErrorObject): (string | number)[] {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  const extra = (error.params as { additionalProperty?: string }).additionalProperty;
  return extra === undefined ? path : [...path, extra];
}

/** The deepest error explains best: a oneOf failure also reports each branch's own complaint. */
function mostSpecific(errors: readonly ErrorObject[]): ErrorObject {
  return errors.reduce((best, e) => (pathOf(e).length > pathOf(best).length ? e : best));
}

export async function validateParticleFile(source: StructuredSource): Promise<ParticleFile> {
  const validate = await validator();
  if (validate(source.value)) return source.value as ParticleFile;
  const error = mostSpecific(validate.errors ?? []);
  const path = pathOf(error);
  const extra = (error.params as { additionalProperty?: string }).additionalProperty;
  const message = extra !== undefined ? `unknown key "${extra}"` : (error.message ?? 'invalid');
  throw new RuleError(`${path.join('.') || 'file'}: ${message}`, source.locate(path));
}
