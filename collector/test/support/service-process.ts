import { freePort } from '@hangarstack/testing/free-port';
import { startService, type RunningService } from '@hangarstack/testing/supervisor';

export type ServiceProcess = RunningService & { url: string };

/**
 * Runs one of this package's service entries (collector/src/entries.ts) as a real Node process
 * listening on `port` (or a free one), passed to it as `portVariable`, with `env`; resolves once
 * its /healthz answers. What the collector and consumer starters share.
 */
export async function startServiceProcess(spec: {
  name: string;
  entry: string;
  portVariable: 'PORT' | 'METRICS_PORT';
  port?: number | undefined;
  env: Record<string, string>;
  out: (line: string) => void;
  /** Node/V8 options before the entry (the consumer's heap settings, `consumerNodeArgs`). */
  nodeArgs?: readonly string[];
}): Promise<ServiceProcess> {
  const port = spec.port ?? (await freePort());
  const service = await startService(
    {
      name: spec.name,
      command: process.execPath,
      args: ['--disable-warning=TimeoutNegativeWarning', ...(spec.nodeArgs ?? []), spec.entry],
      env: { [spec.portVariable]: String(port), ...spec.env },
      readyUrl: `http://127.0.0.1:${port}/healthz`,
    },
    spec.out,
  );
  return Object.assign(service, { url: `http://127.0.0.1:${port}` });
}
