import { track } from './beacon.ts';
import { $compare, toggleCompare } from './compare-store.ts';

/** Aircraft page behaviour: a view beacon, the remembered unit toggle, the compare button. */
const root = document.documentElement;
const page = document.querySelector<HTMLElement>('[data-aircraft]');
const slug = page?.dataset.aircraft;
if (slug) track({ type: 'view', aircraft: slug });

const units = document.querySelector<HTMLButtonElement>('#units');
const showUnits = () => {
  const imperial = root.dataset.units === 'imperial';
  if (units) {
    units.setAttribute('aria-pressed', String(imperial));
    units.textContent = imperial ? 'Units: imperial' : 'Units: metric';
  }
};
units?.addEventListener('click', () => {
  root.dataset.units = root.dataset.units === 'imperial' ? 'metric' : 'imperial';
  try {
    localStorage.setItem('hangar:units', root.dataset.units);
  } catch {
    // Private mode without storage: the toggle still works for this page.
  }
  showUnits();
});
showUnits();

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
