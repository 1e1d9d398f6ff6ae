import { SEARCH_FACETS, hasFilters } from '@hangarstack/shared/search-facets';
import { track } from './beacon.ts';
import { designatorQuery, type DesignatorIndex } from '../lib/designator-index.ts';
import { isEmpty, pagefindFilters, readState, sameState, stateUrl, statusText, type SearchState } from './search-state.ts';

/**
 * The search page: Pagefind over the aircraft pages and short type entries, narrowed by the facet
 * form (native checkboxes and selects, so the keyboard and screen readers work as everywhere
 * else), with the query and filters kept in the URL. Typing replaces the history entry; a filter
 * change adds one, so Back undoes it.
 */

interface Result {
  url: string;
  meta: { title?: string };
  excerpt: string;
}
type Counts = Record<string, Record<string, number>>;
interface Found {
  results: { data(): Promise<Result> }[];
  /** Per facet value, the query's results that have it (Pagefind's counts before filtering; all 0 without a query). */
  totalFilters: Counts;
}
interface Pagefind {
  init(): Promise<void>;
  filters(): Promise<Counts>;
  debouncedSearch(q: string | null, options?: object, ms?: number): Promise<Found | null>;
}

/** Results shown at first and added by "Show more". */
const PAGE = 20;

const form = document.querySelector<HTMLFormElement>('form.search') ?? document.createElement('form');
const input = document.querySelector<HTMLInputElement>('#q') ?? document.createElement('input');
const list = document.querySelector<HTMLOListElement>('#results') ?? document.createElement('ol');
const status = document.querySelector<HTMLElement>('#status') ?? document.createElement('p');
const more = document.querySelector<HTMLButtonElement>('#more') ?? document.createElement('button');
const clear = document.querySelector<HTMLButtonElement>('#clear-filters') ?? document.createElement('button');

// Pagefind ships with the build output, not the bundle; load it on first use only.
const bundle = '/pagefind/pagefind.js';
const engine = import(/* @vite-ignore */ bundle).then(async (m: Pagefind) => (await m.init(), m));
/** Per facet value, the pages that have it: the counts while there is no query (loaded the first time there is none). */
let catalogueCounts: Promise<Counts> | undefined;
const catalogue = (): Promise<Counts> => (catalogueCounts ??= engine.then((pagefind) => pagefind.filters()));
// Designator → page (/designators.json), fetched the first time a query looks like a designator.
let designators: Promise<DesignatorIndex> | undefined;
const pinned = async (q: string): Promise<Result | undefined> => {
  const code = designatorQuery(q);
  if (!code) return undefined;
  designators ??= fetch('/designators.json').then((r) => (r.ok ? (r.json() as Promise<DesignatorIndex>) : {}), () => ({}));
  const hit = (await designators)[code];
  return hit && { url: hit.url, meta: { title: hit.title }, excerpt: `ICAO type designator <mark>${code}</mark>` };
};

/** The state the form shows. */
const formState = (): SearchState => readState(new URLSearchParams([...new FormData(form)].map(([k, v]) => [k, String(v)])));

/** Shows a state in the form (from the URL: on load, Back and Forward). */
function showState(state: SearchState): void {
  input.value = state.q;
  for (const facet of SEARCH_FACETS) {
    const chosen = new Set(state.filters[facet] ?? []);
    for (const control of form.querySelectorAll<HTMLInputElement | HTMLSelectElement>(`[name="${facet}"]`)) {
      if (control instanceof HTMLInputElement) control.checked = chosen.has(control.value);
      else control.value = [...control.options].find((o) => chosen.has(o.value))?.value ?? '';
    }
  }
}

/** Each option's count: how many results it would have for the current query. */
function showCounts(counts: Counts): void {
  for (const badge of form.querySelectorAll<HTMLElement>('[data-count]')) {
    const [facet = '', value = ''] = (badge.dataset.count ?? '').split(':');
    badge.textContent = `(${counts[facet]?.[value] ?? 0})`;
  }
  for (const option of form.querySelectorAll<HTMLOptionElement>('option[data-label]')) {
    const facet = option.parentElement?.getAttribute('name') ?? '';
    option.textContent = `${option.dataset.label ?? option.value} (${counts[facet]?.[option.value] ?? 0})`;
  }
}

function card(r: Result): HTMLLIElement {
  const li = document.createElement('li');
  const a = document.createElement('a');
  a.className = 'card';
  a.href = r.url;
  const title = document.createElement('strong');
  title.textContent = r.meta.title ?? r.url;
  const excerpt = document.createElement('small');
  excerpt.innerHTML = r.excerpt; // Pagefind escapes the text and marks matches with <mark>
  a.append(title, excerpt);
  li.append(a);
  return li;
}

const prompt = status.textContent ?? '';
let settle: ReturnType<typeof setTimeout> | undefined;
let latest = 0;
let shown = { state: readState(new URLSearchParams()), results: 0 };
let rest: Found['results'] = [];
// Only searches the visitor made are reported: typed, or filtered by hand. A shared /search/?q=…
// link runs its search but sends nothing until the visitor changes it: otherwise anyone could post
// a link that makes every reader "search" a text of the poster's choosing, into the top searches.
let interacted = false;

const report = (extra: { clicked?: string } = {}): void => {
  const { state, results } = shown;
  if (!interacted || isEmpty(state)) return;
  track({ type: 'search', query: state.q, results, ...(hasFilters(state.filters) ? { filters: state.filters } : {}), ...extra });
};

async function run(state: SearchState, history: 'push' | 'replace' | 'none'): Promise<void> {
  const url = stateUrl(state);
  if (history === 'push' && url !== location.pathname + location.search) window.history.pushState(null, '', url);
  if (history === 'replace') window.history.replaceState(null, '', url);
  const ticket = ++latest;
  clearTimeout(settle);
  const pagefind = await engine;
  if (isEmpty(state)) {
    const counts = await catalogue();
    if (ticket !== latest) return;
    list.replaceChildren();
    more.hidden = true;
    showCounts(counts);
    status.textContent = prompt;
    return;
  }
  const filters = pagefindFilters(state.filters);
  // Browsing by filters alone lists aircraft by name; a query ranks by relevance.
  const found = await pagefind.debouncedSearch(state.q || null, state.q ? { filters } : { filters, sort: { name: 'asc' } }, 120);
  if (!found || ticket !== latest) return; // a newer search superseded this one
  const exact = state.q && !hasFilters(state.filters) ? await pinned(state.q) : undefined;
  const first = await Promise.all(found.results.slice(0, PAGE).map((r) => r.data()));
  const counts = state.q ? found.totalFilters : await catalogue();
  if (ticket !== latest) return;
  // An exact designator match goes first; Pagefind alone may rank DC3S above the DC-3 for "DC3".
  const top = exact ? [exact, ...first.filter((r) => r.url !== exact.url)].slice(0, PAGE) : first;
  const count = exact && !first.some((r) => r.url === exact.url) ? found.results.length + 1 : found.results.length;
  rest = found.results.slice(PAGE);
  list.replaceChildren(...top.map(card));
  more.hidden = rest.length === 0;
  showCounts(counts);
  status.textContent = statusText(state, count);
  shown = { state, results: count };
  // A search counts once the visitor stops changing it, not on every keystroke.
  settle = setTimeout(report, 1000);
}

input.addEventListener('input', () => {
  interacted = true;
  void run(formState(), 'replace');
});
// Arrowing through a closed select changes it on every key: one history entry for those steps, not one each.
let lastChange = { control: null as EventTarget | null, at: 0 };
form.addEventListener('change', (e) => {
  if (e.target === input) return;
  interacted = true;
  const again = e.target instanceof HTMLSelectElement && lastChange.control === e.target && performance.now() - lastChange.at < 1500;
  lastChange = { control: e.target, at: performance.now() };
  void run(formState(), again ? 'replace' : 'push');
});
form.addEventListener('submit', (e) => {
  e.preventDefault();
  void run(formState(), 'replace');
});
clear.addEventListener('click', () => {
  interacted = true;
  const state = { q: formState().q, filters: {} };
  showState(state);
  void run(state, 'push');
});
async function showMore(): Promise<void> {
  const next = await Promise.all(rest.slice(0, PAGE).map((r) => r.data()));
  rest = rest.slice(PAGE);
  const at = list.children.length;
  list.append(...next.map(card));
  more.hidden = rest.length === 0;
  // Keyboard users continue where the new results start.
  list.children[at]?.querySelector('a')?.focus();
}
more.addEventListener('click', () => void showMore());
addEventListener('popstate', () => {
  const state = readState(new URLSearchParams(location.search));
  if (sameState(state, formState()) && list.children.length > 0) return;
  showState(state);
  void run(state, 'none');
});
list.addEventListener('click', (e) => {
  const link = (e.target as Element).closest('a');
  // Only aircraft pages count as a clicked aircraft; a short type entry (/type/B738/) is not one.
  const slug = link?.pathname.startsWith('/aircraft/') ? link.pathname.split('/')[2] : undefined;
  if (slug) report({ clicked: slug });
});
// Arrow keys walk the results and back to the box, so the list works without a mouse.
document.addEventListener('keydown', (e) => {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const links = [...list.querySelectorAll('a')];
  const at = links.indexOf(document.activeElement as HTMLAnchorElement);
  if (at === -1 && document.activeElement !== input) return;
  e.preventDefault();
  const next = e.key === 'ArrowDown' ? at + 1 : at - 1;
  (next < 0 ? input : (links[Math.min(next, links.length - 1)] ?? input)).focus();
});

const initial = readState(new URLSearchParams(location.search));
showState(initial);
void run(initial, 'none');
input.focus();
