/**
 * What of a page Pagefind needs to read: the `<html>` tag (its `lang` picks the stemmer), the
 * `<title>` and the one `data-pagefind-body` element. Pagefind parses every byte it is given
 * (base64 inside JSON down a pipe, then HTML), and an aircraft page is ~14.5 KB of which the body
 * is ~4.6 KB: the inline stylesheet, the header, the related cards and the scripts index nothing.
 * At 10k pages Pagefind's parse took ~0.7 s less CPU with the body alone, and the thread that
 * feeds it encodes a third of the bytes; the index is the same bytes (search-extract.test.ts).
 *
 * Pagefind also reads some things outside the body: any `data-pagefind-*` attribute (filters,
 * meta, sort), the first `<h1>` (a title) and an `<img>` after it (an image). A page with any of
 * those outside its body, or with no single body element this can find, is handed on whole.
 */
const BODY_MARK = ' data-pagefind-body';

/** The part of `html` Pagefind needs, or `html` itself when a smaller part could index differently. */
export function indexedPart(html: string): string {
  const mark = html.indexOf(BODY_MARK);
  if (mark < 0 || html.includes(BODY_MARK, mark + BODY_MARK.length)) return html;
  const start = html.lastIndexOf('<', mark);
  const tag = /^<([a-z][a-z0-9-]*)[\s>]/i.exec(html.slice(start, start + 32))?.[1]?.toLowerCase();
  if (tag === undefined) return html;
  const end = closingEnd(html, tag, start);
  const htmlTag = /<html(?:\s[^>]*)?>/i.exec(html);
  if (end < 0 || htmlTag === null) return html;
  const before = html.slice(0, start);
  if (readByPagefind(stripStyle(before)) || readByPagefind(html.slice(end))) return html;
  const title = /<title>[^<]*<\/title>/i.exec(before)?.[0] ?? '';
  return `<!doctype html>${htmlTag[0]}<head>${title}</head><body>${withoutIgnored(html.slice(start, end))}</body></html>`;
}

const IGNORE_MARK = ' data-pagefind-ignore';
/** What Pagefind still reads inside ignored content: any data-pagefind-* attribute but another ignore mark, an image, a title heading. */
const READ_WHEN_IGNORED = /data-pagefind-(?!ignore)|<(h1|img)[\s>]/i;

/**
 * `body` without the elements marked `data-pagefind-ignore` that hold nothing Pagefind reads in
 * ignored content: no `data-pagefind-*` attribute but ignore marks (filters and meta count even
 * there), no `<img>` or `<h1>` (it takes a page's image and title from those). Their text is not
 * indexed, so the index is the same bytes (search-extract.test.ts, and the build's index at 1k and
 * on the real catalogue): on an aircraft page that is the planform drawing, the sources and the
 * imperial figures, a third of what Pagefind and the thread feeding it would otherwise encode,
 * send and parse. An element whose end cannot be found stays.
 */
function withoutIgnored(body: string): string {
  let out = '';
  let from = 0;
  for (let mark = body.indexOf(IGNORE_MARK, from); mark >= 0; mark = body.indexOf(IGNORE_MARK, mark + IGNORE_MARK.length)) {
    const start = body.lastIndexOf('<', mark);
    // The mark must be an attribute of that tag, not text after it (text holds no raw '<' or '>').
    if (start < from || body.indexOf('>', start) < mark) continue;
    const tag = /^<([a-z][a-z0-9-]*)[\s>]/i.exec(body.slice(start, start + 32))?.[1]?.toLowerCase();
    const end = tag === undefined ? -1 : closingEnd(body, tag, start);
    if (end < 0) continue;
    if (READ_WHEN_IGNORED.test(body.slice(start, end))) continue;
    out += body.slice(from, start);
    from = end;
    mark = end - IGNORE_MARK.length;
  }
  return out + body.slice(from);
}

const tagPatterns = new Map<string, RegExp>();

/** Where the element `<tag` opened at `start` closes (just past its end tag), counting nested ones of the same name; -1 if it never does. */
function closingEnd(html: string, tag: string, start: number): number {
  let tags = tagPatterns.get(tag);
  if (!tags) tagPatterns.set(tag, (tags = new RegExp(`<(/?)${tag}[\\s>]`, 'gi')));
  tags.lastIndex = start;
  let depth = 0;
  for (let m = tags.exec(html); m !== null; m = tags.exec(html)) {
    depth += m[1] === '/' ? -1 : 1;
    if (depth === 0) {
      const close = html.indexOf('>', m.index);
      return close < 0 ? -1 : close + 1;
    }
  }
  return -1;
}

/** Whether this part of a page has something Pagefind reads even outside the body. */
const readByPagefind = (part: string): boolean => part.includes('data-pagefind-') || /<(h1|img)[\s>]/i.test(part);

/** The stylesheet's selectors may name `img` or `h1`; they are not elements. */
const stripStyle = (html: string): string => html.replace(/<style\b[^>]*>[\s\S]*?<\/style>/gi, '');
