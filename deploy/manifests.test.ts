import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { consumerEnv, consumerNodeArgs } from '@hangarstack/collector/entries';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { ensureGoTool } from './tools/go-tools.ts';
import { run } from './tools/run.ts';

// The validator is built from deploy/tools/validate on first use (about 2.5 min cold, cached after).
let validate = '';
beforeAll(() => {
  validate = ensureGoTool('hangar-validate');
}, 900_000);

const k8sFiles = readdirSync('deploy/k8s').filter((f) => f.endsWith('.yaml')).map((f) => join('deploy/k8s', f));
const dockerfiles = readdirSync('deploy/docker').filter((f) => f.endsWith('.Dockerfile')).map((f) => join('deploy/docker', f));

describe('the consumer image', () => {
  it('runs the consumer with the V8 options every other starter uses (consumerNodeArgs)', () => {
    const cmd = /^CMD (\[.*"collector\/src\/consumer\/main\.ts"\])$/m.exec(readFileSync('deploy/docker/node-service.Dockerfile', 'utf8'))?.[1];
    expect(JSON.parse(cmd ?? '[]')).toEqual(['node', ...consumerNodeArgs, 'collector/src/consumer/main.ts']);
  });

  it('sets the malloc environment every other starter sets (consumerEnv)', () => {
    const dockerfile = readFileSync('deploy/docker/node-service.Dockerfile', 'utf8');
    const stage = dockerfile.slice(dockerfile.indexOf('FROM runtime AS consumer'), dockerfile.indexOf('FROM runtime AS topics'));
    const set = Object.fromEntries([...stage.matchAll(/^ENV (.*)$/gm)].flatMap((m) => (m[1] ?? '').split(/\s+/)).map((pair) => pair.split('=')));
    for (const [name, value] of Object.entries(consumerEnv)) expect(set[name], name).toBe(value);
  });
});

describe('Kubernetes manifests (strict decode into k8s.io/api types)', () => {
  it('every manifest is valid', () => {
    const result = run(validate, ['k8s', ...k8sFiles]);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toMatch(/k8s: \d+ objects valid/);
  });

  it('include the collector Deployment, Service, HPA and PDB, the consumer Deployment, the Kafka ConfigMap/Secret and the topics Job', () => {
    const kinds = k8sFiles
      .flatMap((f) => readFileSync(f, 'utf8').split(/^---$/m))
      .map((doc) => parse(doc) as { kind?: string; metadata?: { name?: string } } | null)
      .filter((doc) => doc?.kind)
      .map((doc) => `${doc?.kind}/${doc?.metadata?.name}`);
    for (const wanted of ['Deployment/collector', 'Service/collector', 'HorizontalPodAutoscaler/collector', 'PodDisruptionBudget/collector', 'Deployment/consumer', 'ConfigMap/hangarstack-kafka', 'Secret/hangarstack-kafka', 'Job/kafka-topics']) {
      expect(kinds).toContain(wanted);
    }
  });

  it('the topics Job runs the manifest applier from the image that ships the manifest', () => {
    const job = parse(readFileSync('deploy/k8s/topics-job.yaml', 'utf8')) as { spec: { template: { spec: { containers: { args: string[] }[] } } } };
    const args = job.spec.template.spec.containers[0]?.args ?? [];
    expect(args.slice(1)).toEqual(['collector/src/transport/topics/main.ts', 'apply']);
    expect(() => readFileSync(args[1] ?? '')).not.toThrow();
    expect(readFileSync('deploy/docker/node-service.Dockerfile', 'utf8')).toContain('COPY deploy/kafka/topics.json deploy/kafka/topics.json');
  });

  it('rejects a Job that never ends', () => {
    const dir = tempDir('k8s-job-');
    writeFileSync(join(dir, 'job.yaml'), readFileSync('deploy/k8s/topics-job.yaml', 'utf8').replace(/ {2}activeDeadlineSeconds: \d+\n/, ''));
    const result = run(validate, ['k8s', join(dir, 'job.yaml')]);
    expect(result.status).toBe(1);
    expect(result.output).toContain('spec.backoffLimit and spec.activeDeadlineSeconds are required');
  });

  it('run the consumer as 2+ group members with no shared or persistent volume (state restores from Kafka)', () => {
    const docs = readFileSync('deploy/k8s/consumer.yaml', 'utf8').split(/^---$/m).map((doc) => parse(doc) as Record<string, unknown> | null);
    const deployment = docs.find((d) => d?.kind === 'Deployment') as { spec: { replicas: number; template: { spec: { volumes: Record<string, unknown>[]; containers: { env: { name: string; value?: string }[] }[] } } } };
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(docs.some((d) => d?.kind === 'PersistentVolumeClaim')).toBe(false);
    const state = deployment.spec.template.spec.volumes.find((v) => v.name === 'state');
    expect(state).toHaveProperty('emptyDir');
    expect(deployment.spec.template.spec.containers[0]?.env).toContainEqual({ name: 'CONSUMER_STATE_TOPIC', value: 'hangarstack.popularity.state' });
    expect(docs.some((d) => d?.kind === 'PodDisruptionBudget')).toBe(true);
  });

  it('rejects a misspelt field and a container without probes', () => {
    const dir = tempDir('k8s-bad-');
    const collector = readFileSync('deploy/k8s/collector.yaml', 'utf8');
    writeFileSync(join(dir, 'typo.yaml'), collector.replace('containerPort: 8787', 'containerPortt: 8787'));
    writeFileSync(join(dir, 'noprobe.yaml'), collector.replace(/ {10}livenessProbe:\n( {12}.*\n)+/, ''));
    const typo = run(validate, ['k8s', join(dir, 'typo.yaml')]);
    expect(typo.status).toBe(1);
    expect(typo.output).toContain('unknown field "containerPortt"');
    const noProbe = run(validate, ['k8s', join(dir, 'noprobe.yaml')]);
    expect(noProbe.status).toBe(1);
    expect(noProbe.output).toContain('liveness and readiness probes are required');
  });
});

describe('Dockerfiles (BuildKit parser, instruction checks and linter)', () => {
  it.each(dockerfiles)('%s is valid, non-root, with a healthcheck and existing COPY sources', (file) => {
    const result = run(validate, ['dockerfile', file, '.']);
    expect(result.status, result.output).toBe(0);
  });

  it('rejects a root stage, a missing COPY source and lint findings', () => {
    const dir = tempDir('dockerfile-bad-');
    writeFileSync(join(dir, 'Dockerfile'), 'FROM node:24 as build\nMAINTAINER ops\nCOPY nope.txt /x\nCMD node x.js\n');
    const result = run(validate, ['dockerfile', join(dir, 'Dockerfile'), dir]);
    expect(result.status).toBe(1);
    expect(result.output).toContain('does not exist in the build context');
    expect(result.output).toContain('runs as root');
    expect(result.output).toContain('FromAsCasing');
    expect(result.output).toContain('MaintainerDeprecated');
  });
});

describe('compose.yaml (compose-go, the loader behind `docker compose config`)', () => {
  it('loads with the Compose spec schema and every reference resolved', () => {
    const result = run(validate, ['compose', 'deploy/compose.yaml']);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('[collector consumer grafana kafka kafka-topics prometheus site]');
  });

  it('the topic job applies deploy/kafka/topics.json before the services start', () => {
    const compose = parse(readFileSync('deploy/compose.yaml', 'utf8')) as {
      services: Record<string, { build?: { target?: string }; depends_on?: Record<string, { condition: string }> }>;
    };
    expect(compose.services['kafka-topics']?.build?.target).toBe('topics');
    expect(readFileSync('deploy/docker/node-service.Dockerfile', 'utf8')).toMatch(/FROM runtime AS topics\n[\s\S]*CMD \["node", "collector\/src\/transport\/topics\/main.ts", "apply"\]/);
    for (const service of ['collector', 'consumer']) {
      expect(compose.services[service]?.depends_on?.['kafka-topics']?.condition, service).toBe('service_completed_successfully');
    }
  });

  it('builds from Dockerfiles and targets that exist, and mounts files that exist', () => {
    const compose = parse(readFileSync('deploy/compose.yaml', 'utf8')) as {
      services: Record<string, { build?: { dockerfile: string; target?: string }; volumes?: string[] }>;
    };
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.build) {
        const dockerfile = readFileSync(service.build.dockerfile, 'utf8');
        if (service.build.target) expect(dockerfile, name).toMatch(new RegExp(`^FROM .+ AS ${service.build.target}$`, 'm'));
      }
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0] ?? '';
        if (source.startsWith('./')) expect(() => readFileSync(join('deploy', source)), `${name}: ${source}`).not.toThrow(/ENOENT/);
      }
    }
  });

  it('rejects an unknown key and a dangling depends_on', () => {
    const compose = readFileSync('deploy/compose.yaml', 'utf8');
    const dir = tempDir('compose-bad-');
    writeFileSync(join(dir, 'a.yaml'), compose.replace('    read_only: true', '    readonly: true'));
    writeFileSync(join(dir, 'b.yaml'), compose.replace('depends_on: [prometheus]', 'depends_on: [prometheuss]'));
    expect(run(validate, ['compose', join(dir, 'a.yaml')]).output).toMatch(/readonly/);
    expect(run(validate, ['compose', join(dir, 'b.yaml')]).output).toContain('undefined service "prometheuss"');
  });
});
