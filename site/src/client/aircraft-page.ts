import { track, visit } from './beacon.ts';
import { $compare, toggleCompare } from './compare-store.ts';
import { unitToggle } from './units.ts';

/** Aircraft page behaviour: a view beacon, the remembered unit toggle, the compare button. */
const slug = document.querySelector<HTMLElement>('[data-aircraft]')?.dataset.aircraft;
if (slug) track({ type: 'view', aircraft: slug, ...visit() });

unitToggle(document.querySelector<HTMLButtonElement>('#units'));

const compare = document.querySelector<HTMLButtonElement>('#compare');
if (compare && slug) {
  compare.hidden = false;
  compare.addEventListener('click', () => toggleCompare(slug));
  $compare.subscribe((list) => {
    const on = list.includes(slug);
    compare.setAttribute('aria-pressed', String(on));
    compare.textContent = on ? `In compare (${list.length}) — remove` : 'Add to compare';
  });
}
