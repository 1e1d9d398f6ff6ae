import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse } from 'yaml';
import { loadCollectorConfig } from '@hangarstack/collector/ingest/config';

/**
 * Who the client is depends on the deployment: the collector must believe X-Forwarded-For from
 * its own proxy and nobody else, or visitors merge into the proxy's address (one origin for the
 * whole site) or choose their own. These checks read the shipped files and parse the values with
 * the collector's own config loader.
 */
interface ComposeService {
  environment?: Record<string, string>;
  networks?: Record<string, { ipv4_address?: string }>;
}

describe('compose: the collector trusts exactly the nginx container in front of it', () => {
  const compose = parse(readFileSync('deploy/compose.yaml', 'utf8')) as {
    services: Record<string, ComposeService>;
    networks: { default: { ipam: { config: { subnet: string }[] } } };
  };
  const env = compose.services.collector?.environment ?? {};
  const nginxAddress = compose.services.site?.networks?.default?.ipv4_address;

  it('nginx has a fixed address inside the compose subnet, and it is the only trusted proxy', () => {
    expect(nginxAddress).toBeDefined();
    const subnet = compose.networks.default.ipam.config[0]?.subnet ?? '';
    expect(nginxAddress?.startsWith(subnet.split('.').slice(0, 3).join('.'))).toBe(true);
    const config = loadCollectorConfig(env);
    expect(config.client).toEqual({ trustedProxies: [`${nginxAddress}/32`], clientIpHeader: null });
    expect(env).not.toHaveProperty('TRUST_PROXY');
  });

  it('nginx overwrites the visitor’s X-Forwarded-For with the address it saw', () => {
    const nginx = readFileSync('deploy/nginx/nginx.conf', 'utf8');
    const beacons = /location \/v1\/ \{[^}]*\}/s.exec(nginx)?.[0] ?? '';
    expect(beacons).toContain('proxy_set_header X-Forwarded-For $remote_addr;');
  });
});

describe('Kubernetes: the collector trusts the cluster’s private ranges (ingress, load balancer)', () => {
  const docs = parseAllDocuments(readFileSync('deploy/k8s/collector.yaml', 'utf8')).map((d) => d.toJS() as Record<string, unknown>);
  const deployment = docs.find((d) => d.kind === 'Deployment') as { spec: { template: { spec: { containers: { name: string; env: { name: string; value: string }[] }[] } } } };
  const container = deployment.spec.template.spec.containers.find((c) => c.name === 'collector');
  const env = Object.fromEntries((container?.env ?? []).map((e) => [e.name, e.value]));

  it('sets TRUSTED_PROXIES to a value the collector accepts, and no longer TRUST_PROXY', () => {
    expect(loadCollectorConfig(env).client.trustedProxies).toEqual(['private']);
    expect(env).not.toHaveProperty('TRUST_PROXY');
  });

  it('never trusts a public range: that would let any client choose its address', () => {
    for (const entry of loadCollectorConfig(env).client.trustedProxies) expect(['private', 'loopback', 'linklocal']).toContain(entry);
  });
});
