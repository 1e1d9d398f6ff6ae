/**
 * What of a page Pagefind reads: the `<html>` tag (its `lang` picks the stemmer), the `<title>`
 * and the one `data-pagefind-body` element, without the ignored elements that hold nothing it
 * reads. Pagefind makes the same index from this part as from the whole page
 * (search-extract.test.ts), so a data-change rebuild compares the parts of a re-rendered page and
 * the live one to know whether search would change (scripts/data-rebuild.ts).
 *
 * Pagefind also reads some things outside the body: any `data-pagefind-*` attribute (filters,
 * meta, sort), the first `<h1>` (a title) and an `<img>` after it (an image). A page with any of
 * those outside its body, or with no single body element this can find, is handed on whole.
 */
/** The attribute that makes a page one Pagefind indexes (a type entry for a designator with an aircraft page has none). */
const BODY_MARK = ' data-pagefind-body';
/** Whether Pagefind indexes this page: it holds the body mark. */
export const isSearchedPage = (html: string | Buffer): boolean => html.includes(BODY_MARK);

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
 * indexed, so the index is the same bytes (search-extract.test.ts): on an aircraft page that is
 * the planform drawing, the sources and the imperial figures. An element whose end cannot be found stays.
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
