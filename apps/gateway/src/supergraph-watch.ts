import fs from 'node:fs/promises';

import type { SupergraphManager } from '@apollo/gateway';
import type { Logger } from '@pipeline/server-kit';

import type { GatewayConfig } from './config';

export interface SupergraphWatchSettings {
  path: string;
  // Polling, not fs.watch: a Kubernetes ConfigMap is updated by swapping a symlink, which fs.watch on the file misses.
  pollMs: number;
}

// Serves the supergraph from a file and swaps in a new one when the file's content changes (a mounted ConfigMap, or
// `nx run gateway:compose` in development). Apollo's gateway builds the new query planner beside the old one: requests
// already planned finish on the old schema, new ones get the new. A file that does not parse or compose is logged and
// ignored; the gateway keeps serving the last good supergraph.
export class FileSupergraphManager implements SupergraphManager {
  private timer: NodeJS.Timeout | undefined;
  private current = '';
  private checking = false;

  constructor(
    private readonly settings: SupergraphWatchSettings,
    private readonly logger: Logger,
    private readonly initialSdl?: string,
  ) {}

  async initialize({ update }: Parameters<SupergraphManager['initialize']>[0]) {
    this.current = await fs.readFile(this.settings.path, 'utf8');
    const supergraphSdl = this.initialSdl ?? this.current;
    this.timer = setInterval(() => void this.check(update), this.settings.pollMs);
    this.timer.unref();
    return { supergraphSdl, cleanup: async () => clearInterval(this.timer) };
  }

  private async check(update: (sdl: string) => void): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const next = await fs.readFile(this.settings.path, 'utf8').catch((error: NodeJS.ErrnoException) => {
        this.logger.warn({ path: this.settings.path, err: error.code ?? error.message }, 'supergraph file unreadable; keeping the current supergraph');
        return undefined;
      });
      if (next === undefined || next === this.current) return;
      // Remembered before the update, so a bad file is reported once, not at every poll.
      this.current = next;
      try {
        update(next);
        this.logger.info({ path: this.settings.path }, 'supergraph updated');
      } catch (error) {
        this.logger.error({ path: this.settings.path, err: (error as Error).message }, 'new supergraph refused; keeping the current one');
      }
    } finally {
      this.checking = false;
    }
  }
}

export function supergraphSource(config: GatewayConfig, logger: Logger): string | SupergraphManager {
  return config.supergraphWatch ? new FileSupergraphManager(config.supergraphWatch, logger, config.supergraphSdl) : config.supergraphSdl;
}
