/**
 * Which pages search indexes, and the order they generate in. Pagefind's CLI indexes the built
 * files of these pages (pagefind-cli.ts); they are the only ones with `data-pagefind-body`.
 */

/** The pages that carry `data-pagefind-body`: aircraft pages and short type entries (/type/<designator>/). */
export const isIndexedPath = (pathname: string): boolean => /^\/(aircraft|type)\/[^/]+\/$/.test(pathname);

/** Path order: pathnames by UTF-16 code units (what `<` compares), never locale rules. The indexed routes generate in it. */
export const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
