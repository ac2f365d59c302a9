/**
 * Parameters and texture slots against the shader's reflection. A parameter the shader does not
 * declare is usually a typo or a stale material after a shader edit, so it fails by default;
 * a declared texture nobody fills only warns (the shader may have a default).
 */
import type { Location } from '../../src/rule/context.js';
import { RuleError } from '../../src/rule/rule-error.js';
import { nearest } from '../../src/rule/nearest.js';
import type { ParamValue } from './material-file.js';
import { type ShaderReflection, uniformShape } from './shader-reflection.js';

export interface ParamCheckHooks {
  locate(path: readonly (string | number)[]): Location;
  warn(message: string, where: Location): void;
  unknownParams: 'error' | 'warning';
}

function report(hooks: ParamCheckHooks, severity: 'error' | 'warning', message: string, where: Location): void {
  if (severity === 'error') throw new RuleError(message, where);
  hooks.warn(message, where);
}

export function checkParams(params: Record<string, ParamValue>, reflection: ShaderReflection, shaderLabel: string, hooks: ParamCheckHooks): void {
  const names = reflection.uniforms.map((u) => u.name);
  for (const [name, value] of Object.entries(params)) {
    const where = hooks.locate(['params', name]);
    const uniform = reflection.uniforms.find((u) => u.name === name);
    if (!uniform) {
      const hint = nearest(name, names);
      report(hooks, hooks.unknownParams, `param "${name}" is not a uniform of ${shaderLabel}${hint ? ` (did you mean "${hint}"?)` : ''}`, where);
      continue;
    }
    const shape = uniformShape(uniform.type);
    if (!shape) continue;
    const values = typeof value === 'boolean' ? [value ? 1 : 0] : typeof value === 'number' ? [value] : value;
    if (values.length !== shape.components) {
      throw new RuleError(`param "${name}" has ${values.length} value(s) but ${uniform.type} needs ${shape.components}`, where);
    }
    if (typeof value === 'boolean' && shape.kind !== 'bool') {
      throw new RuleError(`param "${name}" is a boolean but ${uniform.type} is numeric`, where);
    }
    if (shape.kind === 'int' && !values.every(Number.isInteger)) {
      throw new RuleError(`param "${name}" must be integer(s) for ${uniform.type}`, where);
    }
  }
}

export function checkTextureSlots(slots: readonly string[], reflection: ShaderReflection, shaderLabel: string, hooks: ParamCheckHooks): void {
  const declared = reflection.textures.map((t) => t.name);
  for (const slot of slots) {
    if (declared.includes(slot)) continue;
    const hint = nearest(slot, declared);
    throw new RuleError(
      `texture slot "${slot}" is not declared by ${shaderLabel}${hint ? ` (did you mean "${hint}"?)` : ` (it declares: ${declared.join(', ') || 'none'})`}`,
      hooks.locate(['textures', slot]),
    );
  }
  for (const name of declared) {
    if (!slots.includes(name)) hooks.warn(`shader ${shaderLabel} samples "${name}" but the material binds no texture to it`, hooks.locate(['textures']));
  }
}
