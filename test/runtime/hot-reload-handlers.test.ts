import { describe, expect, it } from 'vitest';
import { ReloadHandlers, type ReloadHandler } from '../../src/runtime/hot-reload-handlers.js';

describe('reload handlers', () => {
  it('sends a new version to its asset type’s handler and to "*", a bundle only to "*", and unsubscribes', () => {
    const handlers = new ReloadHandlers();
    const texture: ReloadHandler = () => {};
    const model: ReloadHandler = () => {};
    const all: ReloadHandler = () => {};
    const off = handlers.add('texture', texture);
    handlers.add('model', model);
    handlers.add('*', all);
    expect(handlers.for('texture')).toEqual([texture, all]);
    expect(handlers.for('model')).toEqual([model, all]);
    expect(handlers.for('audio')).toEqual([all]);
    expect(handlers.for('bundle')).toEqual([all]);
    off();
    expect(handlers.for('texture')).toEqual([all]);
  });
});
