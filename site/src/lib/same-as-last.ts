/**
 * `compute`, answering again with its last result while it is called with the same arguments (by
 * identity) as last time. For work asked for more than once over the same inputs, such as every
 * aircraft page's paths, which the page's getStaticPaths and the route keys both need in one build:
 * the catalogue and the popularity snapshot are read once and kept (catalog.ts, popularity.ts), so
 * their identity changes exactly when their content does. Only the last call is kept. Callers share
 * the result: they must not change it (sort a copy).
 */
export function sameAsLast<A extends unknown[], R>(compute: (...args: A) => R): ((...args: A) => R) & { ifSame: (...args: A) => R | undefined } {
  let last: { args: A; result: R } | undefined;
  const same = (args: A): boolean => last?.args.length === args.length && last.args.every((arg, i) => arg === args[i]);
  return Object.assign(
    (...args: A): R => {
      if (last && same(args)) return last.result;
      last = { args, result: compute(...args) };
      return last.result;
    },
    {
      /** The last result if it was computed from these arguments, else undefined (nothing is computed). */
      ifSame: (...args: A): R | undefined => (last && same(args) ? last.result : undefined),
    },
  );
}
