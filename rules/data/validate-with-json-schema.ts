import { RuleError } from '../../src/rule/rule-error.js';

/** JSON Schema validation with ajv, loaded only when a target asks for it. */
export async function validateWithJsonSchema(value: unknown, schemaText: string, schemaPath: string, file: string): Promise<void> {
  let schema: Record<string, unknown>;
  try {
    schema = JSON.parse(schemaText) as Record<string, unknown>;
  } catch (error) {
    throw new RuleError(`invalid JSON Schema: ${(error as Error).message}`, { file: schemaPath });
  }
  const { Ajv } = await import('ajv');
  const ajv = new Ajv({ allErrors: true, strict: false });
  let validate;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    throw new RuleError(`invalid JSON Schema: ${(error as Error).message}`, { file: schemaPath });
  }
  if (!validate(value)) {
    const issues = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
    throw new RuleError(`does not match ${schemaPath}: ${issues.join('; ')}`, { file });
  }
}
