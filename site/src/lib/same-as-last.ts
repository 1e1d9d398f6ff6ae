/**
 * `compute`, answering again with its last result while it is called with the same arguments (by
 * identity) as last time. For work asked for more than once over the same inputs, such as every
 * aircraft page's paths, which the page's getStaticPaths and the route keys both need in one build:
 * the catalogue and the popularity snapshot are read once and kept (catalog.ts, popularity.ts), so
 * their identity changes exactly when their content does. Only the last call is kept. Callers share
 * the result: they must not change it (sort a copy).
 */
export function sameAsLast<A extends unknown[], R>(compute: (...args: A) => R): (...args: A) => R {
  let last: { args: A; result: R } | undefined;
  return (...args) => {
    if (last?.args.length === args.length && last.args.every((arg, i) => arg === args[i])) return last.result;
    last = { args, result: compute(...args) };
    return last.result;
  };
}
