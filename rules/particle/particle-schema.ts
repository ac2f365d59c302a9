/**
 * JSON Schema (draft-07, checked by ajv) for a particle system file. Written as JSON Schema rather
 * than the rule's own `s` schema so tools outside kiln (editors, the game's own tooling) can
 * validate the same files; `PARTICLE_SCHEMA` is exported for that.
 */
const vec3 = { type: 'array', items: { type: 'number' }, minItems: 3, maxItems: 3 };
const color = { type: 'array', items: { type: 'number', minimum: 0 }, minItems: 4, maxItems: 4 };
const nonNegative = { type: 'number', minimum: 0 };
const range = {
  description: 'a fixed value, or [min, max] picked uniformly per particle',
  oneOf: [nonNegative, { type: 'array', items: nonNegative, minItems: 2, maxItems: 2 }],
};
const curveOf = (value: object) => ({
  description: 'a constant, or keys over the normalized particle age t in [0, 1]',
  oneOf: [
    value,
    {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['t', 'value'],
        properties: { t: { type: 'number', minimum: 0, maximum: 1 }, value },
      },
    },
  ],
});
const label = { type: 'string', pattern: '^(//[^:]*(:.+)?|:.+)$' };

export const PARTICLE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'kiln particle system',
  type: 'object',
  additionalProperties: false,
  required: ['emitters'],
  properties: {
    duration: { type: 'number', exclusiveMinimum: 0, description: 'seconds one cycle lasts' },
    loop: { type: 'boolean' },
    emitters: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: { type: 'string', pattern: '^[A-Za-z0-9_\\-]+$' },
          max_particles: { type: 'integer', minimum: 1, description: 'pool size; particles beyond it are dropped' },
          rate: { ...nonNegative, description: 'particles per second' },
          bursts: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['time', 'count'],
              properties: { time: nonNegative, count: { type: 'integer', minimum: 1 } },
            },
          },
          lifetime: range,
          speed: range,
          velocity: {
            oneOf: [
              vec3,
              { type: 'object', additionalProperties: false, required: ['min', 'max'], properties: { min: vec3, max: vec3 } },
            ],
          },
          gravity: vec3,
          shape: {
            type: 'object',
            additionalProperties: false,
            required: ['type'],
            properties: {
              type: { enum: ['point', 'sphere', 'cone', 'box'] },
              radius: nonNegative,
              angle: { type: 'number', minimum: 0, maximum: 180 },
              size: vec3,
            },
          },
          size: curveOf(nonNegative),
          color: curveOf(color),
          texture: label,
          material: label,
          blend: { enum: ['alpha', 'additive', 'premultiplied'] },
        },
        required: ['lifetime'],
      },
    },
  },
} as const;
