/**
 * Every aircraft JSON sheet of a full build in one response, and its split back into files.
 *
 * A sheet is a `JSON.stringify` of a few rows and the planform, but rendered as a route of its
 * own each went through Astro's whole per-route path (the request, the context, the middleware,
 * the props lookup, the response and its stream read back): ~0.7 ms a sheet on the render
 * thread, more than the sheet itself. One route (pages/hangar-aircraft-sheets.txt.ts) now
 * streams them all, and the build's prerenderer (pagefind-integration.ts) writes each to
 * `/aircraft/<slug>.json`, as it already wrote their bytes.
 *
 * The format is one line per sheet, `<slug>\t<sheet JSON>\n`: JSON.stringify escapes every
 * control character, so a sheet never holds a tab or a newline byte (nor does any multi-byte
 * UTF-8 sequence), and a slug is kebab-case.
 */
const TAB = 0x09;
const NL = 0x0a;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Sheets per chunk: the stream is read as the page writer takes them, so the batch never sits in memory whole (~11 MB at 10k). */
const PER_CHUNK = 64;

/** The batch of `items`' sheets (`sheet` gives each one's slug and JSON), made a chunk at a time as it is read. */
export function sheetBatch<T>(items: readonly T[], sheet: (item: T) => readonly [slug: string, json: string]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let next = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (next >= items.length) return controller.close();
        let text = '';
        for (const end = Math.min(items.length, next + PER_CHUNK); next < end; next++) {
          const [slug, json] = sheet(items[next] as T);
          if (!SLUG.test(slug)) throw new Error(`aircraft sheet batch: "${slug}" is not a kebab-case slug`);
          text += `${slug}\t${json}\n`;
        }
        controller.enqueue(encoder.encode(text));
      },
    },
    // Nothing is made ahead of a read.
    { highWaterMark: 0 },
  );
}

/** The sheets of a batch, in its order: each one's slug and bytes (a Buffer that owns its memory, so the page writer can move it). */
export async function* readSheetBatch(body: AsyncIterable<Uint8Array>): AsyncGenerator<{ slug: string; bytes: Buffer }> {
  let rest: Uint8Array | undefined;
  for await (const chunk of body) {
    const data = rest ? concat(rest, chunk) : chunk;
    let start = 0;
    for (let nl = data.indexOf(NL, start); nl !== -1; nl = data.indexOf(NL, start)) {
      const tab = data.indexOf(TAB, start);
      const slug = tab === -1 || tab > nl ? '' : Buffer.from(data.buffer, data.byteOffset + start, tab - start).toString('latin1');
      if (!SLUG.test(slug)) throw new Error(`aircraft sheet batch: a line without a kebab-case slug and a tab before its sheet (at "${Buffer.from(data.subarray(start, Math.min(nl, start + 40))).toString()}")`);
      // slice, not subarray: a copy in its own ArrayBuffer.
      yield { slug, bytes: Buffer.from(data.slice(tab + 1, nl).buffer) };
      start = nl + 1;
    }
    rest = start < data.length ? data.subarray(start) : undefined;
  }
  if (rest) throw new Error(`aircraft sheet batch: it ended inside a sheet (${rest.length} bytes without a newline)`);
}

const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  const both = new Uint8Array(a.length + b.length);
  both.set(a);
  both.set(b, a.length);
  return both;
};
