/**
 * The metric/imperial toggle. Pages render both values and CSS shows the one named by
 * `<html data-units>`; the choice is kept in localStorage (set before paint by Base.astro).
 */
export function unitToggle(button: HTMLButtonElement | null): void {
  if (!button) return;
  const root = document.documentElement;
  const show = () => {
    const imperial = root.dataset.units === 'imperial';
    button.setAttribute('aria-pressed', String(imperial));
    button.textContent = imperial ? 'Units: imperial' : 'Units: metric';
  };
  button.addEventListener('click', () => {
    root.dataset.units = root.dataset.units === 'imperial' ? 'metric' : 'imperial';
    try {
      localStorage.setItem('hangar:units', root.dataset.units);
    } catch {
      // Private mode without storage: the toggle still works for this page.
    }
    show();
  });
  show();
}
