import { spawnSync } from 'node:child_process';

/**
 * Runs `promtool check metrics` on an exposition text: the lint Prometheus itself ships
 * (naming, units, help, types). Returns its complaints; empty means clean. In CI a missing
 * promtool is an error, not a pass.
 */
export function promtoolCheckMetrics(exposition: string): string[] {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  if (result.error) {
    throw new Error(`promtool is not installed (apt-get install prometheus): ${result.error.message}`);
  }
  return `${result.stdout}${result.stderr}`.split('\n').filter((line) => line.trim() !== '');
}
