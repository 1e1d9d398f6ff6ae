/** The collector origin, baked in at build time from PUBLIC_COLLECTOR_URL (astro.config.ts). */
declare const __COLLECTOR_URL__: string;
