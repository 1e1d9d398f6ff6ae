/** Seconds since the previous lap (or since the timer was made), one decimal: a rebuild's phase times. */
export function lapTimer(): () => string {
  let mark = performance.now();
  return () => {
    const now = performance.now();
    const seconds = ((now - mark) / 1000).toFixed(1);
    mark = now;
    return seconds;
  };
}
