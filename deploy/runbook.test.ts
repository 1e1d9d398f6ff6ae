import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { run } from './tools/run.ts';

const runbook = readFileSync('deploy/RUNBOOK.md', 'utf8');
/** Shell lines from the ```sh blocks (indented ones inside lists too). */
const commands = [...runbook.matchAll(/^ *```sh\n([\s\S]*?)^ *```$/gm)].flatMap((m) => (m[1] ?? '').split('\n').map((l) => l.trim()).filter(Boolean));
const scripts = Object.keys((JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts);
const alerts = (parse(readFileSync('deploy/prometheus/alerts.yml', 'utf8')) as { groups: { rules: { alert: string }[] }[] }).groups.flatMap((g) => g.rules.map((r) => r.alert));

describe('deploy/RUNBOOK.md', () => {
  it('uses only commands this repo ships or drives (./hangar, node, kcat, curl, promtool, tar)', () => {
    expect(commands.length).toBeGreaterThan(10);
    for (const line of commands) expect(line.split(' ')[0], line).toMatch(/^(\.\/hangar|node|kcat|curl|promtool|tar)$/);
  });

  it('every ./hangar command is a package.json script and every node command a file that exists', () => {
    for (const line of commands) {
      const [command, first] = line.split(' ');
      if (command === './hangar') expect(scripts, line).toContain(first);
      if (command === 'node') expect(existsSync(first ?? ''), line).toBe(true);
    }
  });

  it('every promtool command runs green', () => {
    const promtool = commands.filter((l) => l.startsWith('promtool '));
    expect(promtool.length).toBeGreaterThanOrEqual(3);
    for (const line of promtool) {
      const result = run('promtool', line.split(' ').slice(1));
      expect(result.status, `${line}\n${result.output}`).toBe(0);
    }
  });

  it('every repo path it mentions exists', () => {
    const paths = [...runbook.matchAll(/`((?:deploy|collector|site|scripts|data|shared)\/[\w./-]+)`/g)].map((m) => m[1] ?? '');
    expect(paths.length).toBeGreaterThan(5);
    for (const path of paths) expect(existsSync(path.replace(/\/$/, '')), path).toBe(true);
  });

  it('covers every alert and every required procedure', () => {
    for (const alert of alerts) expect(runbook).toMatch(new RegExp(`^### ${alert}$`, 'm'));
    for (const heading of ['Topology', 'Kafka down', 'Spool full', 'Consumer lagging or crashed', 'A bad build', 'Site rollback', 'Popularity state backup and restore', 'Rotating Kafka credentials', 'Visitor-hash salt policy']) {
      expect(runbook).toMatch(new RegExp(`^##+ ${heading}$`, 'm'));
    }
  });
});
