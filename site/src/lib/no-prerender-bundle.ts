/**
 * The prerender bundle's only module (twin-prerenderer.ts): a full build renders its pages through
 * the server bundle, so Astro's second bundle of the same pages is not built. Astro still runs a
 * build of its prerender environment and wants an entry chunk from it; this is that chunk.
 */
export const prerenderBundle = 'none: pages render through server/hangar-app.mjs';
