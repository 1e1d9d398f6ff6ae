import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exposedMetricNames, metricNamesIn } from '../tools/metric-names.ts';
import { run } from '../tools/run.ts';

interface Rule { alert: string; expr: string; annotations: { runbook: string } }
const rules = (parse(readFileSync('deploy/prometheus/alerts.yml', 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);
const unitTests = parse(readFileSync('deploy/prometheus/alerts.test.yml', 'utf8')) as {
  tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
};

describe('Prometheus config and alert rules (promtool)', () => {
  it('promtool check config accepts prometheus.yml and its rule file', () => {
    const result = run('promtool', ['check', 'config', 'deploy/prometheus/prometheus.yml']);
    expect(result.output).toContain('SUCCESS');
    expect(result.status, result.output).toBe(0);
  });

  it('promtool check rules accepts alerts.yml', () => {
    const result = run('promtool', ['check', 'rules', 'deploy/prometheus/alerts.yml']);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain(`${rules.length} rules found`);
  });

  it('promtool test rules passes the unit tests', () => {
    const result = run('promtool', ['test', 'rules', 'deploy/prometheus/alerts.test.yml']);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('SUCCESS');
  });

  it('every alert has a unit test where it fires and one where it stays quiet', () => {
    for (const rule of rules) {
      const cases = unitTests.tests.flatMap((t) => t.alert_rule_test).filter((c) => c.alertname === rule.alert);
      expect(cases.some((c) => c.exp_alerts.length > 0), `${rule.alert} never fires in alerts.test.yml`).toBe(true);
      expect(cases.some((c) => c.exp_alerts.length === 0), `${rule.alert} is never asserted quiet in alerts.test.yml`).toBe(true);
    }
  });

  it('every alert selects only metrics the services expose', async () => {
    const exposed = await exposedMetricNames();
    for (const rule of rules) {
      const names = metricNamesIn(rule.expr);
      expect(names.length, rule.alert).toBeGreaterThan(0);
      for (const name of names) expect(exposed, `${rule.alert} uses ${name}`).toContain(name);
    }
  });

  it('every alert links a RUNBOOK section that exists', () => {
    const runbook = readFileSync('deploy/RUNBOOK.md', 'utf8');
    for (const rule of rules) {
      expect(rule.annotations.runbook).toBe(`deploy/RUNBOOK.md#${rule.alert.toLowerCase()}`);
      expect(runbook, `RUNBOOK.md has no "### ${rule.alert}" section`).toMatch(new RegExp(`^### ${rule.alert}$`, 'm'));
    }
  });
});
