/**
 * The build's server bundle as an Astro App, without the node adapter's HTTP handler around it:
 * twin-prerenderer.ts adds this module to the server (SSR) bundle as `server/hangar-app.mjs`, and a
 * full build renders every page through it (each public route through its on-demand twin under
 * pages/hangar-render/), so the pages come from the same bundle the rebuilds render with.
 */
import { createApp } from 'astro/app/entrypoint';

/** Streaming as the node adapter's own App (`server/entry.mjs`); each page still comes back whole. */
export const app = createApp({ streaming: true });
