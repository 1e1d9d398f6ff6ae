/**
 * The sitemap after aircraft (or lists) were added or removed, without the build that
 * @astrojs/sitemap writes it in: its sitemap-0.xml lists the pages in blocks per route (the
 * home page, then /aircraft/…/ in the order the pages were generated, and so on). Each block is
 * rewritten in the new catalogue's order (`routeKeys` order, which is getStaticPaths order);
 * the partial-versus-full test checks the result byte for byte. Returns undefined when the
 * sitemap is not in the shape this understands (a second file, extra tags, a route kind with
 * no block yet): the caller builds in full.
 */
const URL_ITEM = /<url><loc>([^<]*)<\/loc><\/url>/g;

/** The block a page belongs to: its first path segment ('' for the home page). */
const blockOf = (route: string): string => route.split('/')[1] ?? '';

export function updatedSitemap(xml: string, siteUrl: string, pages: readonly string[]): string | undefined {
  const first = xml.indexOf('<url>');
  const end = xml.lastIndexOf('</urlset>');
  if (first < 0 || end < 0) return undefined;
  const body = xml.slice(first, end);
  const origin = siteUrl.replace(/\/$/, '');
  const listed = [...body.matchAll(URL_ITEM)].map((m) => m[1] ?? '');
  if (listed.map((loc) => `<url><loc>${loc}</loc></url>`).join('') !== body) return undefined;
  if (!listed.every((loc) => loc.startsWith(`${origin}/`))) return undefined;
  const order: string[] = [];
  for (const loc of listed) {
    const block = blockOf(loc.slice(origin.length));
    if (order.at(-1) !== block) {
      if (order.includes(block)) return undefined; // a route kind in two places: not block-ordered
      order.push(block);
    }
  }
  const byBlock = new Map<string, string[]>();
  for (const page of pages) {
    const block = blockOf(page);
    if (!order.includes(block)) return undefined;
    byBlock.set(block, [...(byBlock.get(block) ?? []), page]);
  }
  const items = order.flatMap((block) => (byBlock.get(block) ?? []).map((page) => `<url><loc>${origin}${page}</loc></url>`));
  return `${xml.slice(0, first)}${items.join('')}${xml.slice(end)}`;
}
