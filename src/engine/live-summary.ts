/**
 * A watch build's summary fields that list the whole workspace (`targets`, `materialized`),
 * computed on first read instead of on every save: the rebuild loop never reads them, so a save
 * at 100,000 targets does not build two 100,000-long arrays. They are computed from the
 * builder's live reports and kiln-out paths, which the next build updates in place — so the
 * next build detaches them: read then, they throw instead of describing the wrong build.
 */
export function liveFields<T extends object, K extends keyof T & string>(target: T, fields: { [F in K]: () => T[F] }): () => void {
  const unread = new Set<K>();
  for (const name of Object.keys(fields) as K[]) {
    unread.add(name);
    Object.defineProperty(target, name, {
      enumerable: true,
      configurable: true,
      get: () => {
        const value = fields[name]();
        unread.delete(name);
        Object.defineProperty(target, name, { value, enumerable: true, configurable: true, writable: true });
        return value;
      },
    });
  }
  return () => {
    for (const name of unread) {
      Object.defineProperty(target, name, {
        enumerable: true,
        configurable: true,
        get: () => {
          throw new Error(`a watch build's summary.${name} must be read before the builder's next build`);
        },
      });
    }
    unread.clear();
  };
}
