import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { describeUpdate, publishFromEnv } from '@hangarstack/collector/data-updates';

export interface DataWatcher {
  close(): void;
  /** Resolves when no publish is running or pending (tests). */
  idle(): Promise<void>;
}

/**
 * `./hangar start`'s data loop: publishes `data/` once, then again shortly after every save in
 * data/aircraft or data/manufacturers (editors write in bursts: one publish per burst). Publishes
 * never overlap; a failed one (say, a half-written JSON file) is reported and the next save retries.
 */
export async function watchAndPublish(env: Record<string, string | undefined>, dataDir: string, log: (line: string) => void, debounceMs = 300): Promise<DataWatcher> {
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const publish = (): Promise<void> =>
    (running = running.then(async () => {
      try {
        const { updates } = await publishFromEnv({ ...env, HANGAR_DATA_DIR: dataDir });
        for (const update of updates.slice(0, 20)) log(describeUpdate(update));
        if (updates.length > 20) log(`… and ${updates.length - 20} more`);
        if (updates.length > 0) log(`published ${updates.length} data update(s)`);
      } catch (error) {
        log(`data publish failed (fix the file and save again): ${(error as Error).message}`);
      }
    }));
  await publish();
  const watchers: FSWatcher[] = ['aircraft', 'manufacturers'].map((dir) =>
    watch(join(dataDir, dir), () => {
      clearTimeout(timer);
      timer = setTimeout(() => void publish(), debounceMs);
    }),
  );
  return {
    close() {
      clearTimeout(timer);
      for (const w of watchers) w.close();
    },
    async idle() {
      await running;
    },
  };
}
