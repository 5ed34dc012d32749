import { randomUUID } from 'node:crypto';

import type { Consumer } from 'kafkajs';

import { createKafka, type KafkaSettings, prefixedTopic } from './kafka';

export interface LatestSubscriberLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface LatestSubscription {
  // Resolves once the first partition assignment arrived: messages published after it are delivered.
  ready: Promise<void>;
  stop(): Promise<void>;
}

const RECONNECT_MS = 3_000;

// Reads what is published from now on, to push it somewhere (a browser stream), never to change state: every process
// gets its own throwaway group, commits nothing, and keeps retrying while the broker is away.
export function subscribeToLatest(
  settings: KafkaSettings,
  topics: string[],
  onMessage: (value: string, topic: string) => void,
  logger: LatestSubscriberLogger,
): LatestSubscription {
  let stopped = false;
  let consumer: Consumer | null = null;
  let timer: NodeJS.Timeout | undefined;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const start = async (): Promise<void> => {
    if (stopped) return;
    // Unique per process and outside the topic prefix: it commits nothing, so it is nobody's lag to wait for.
    const member = createKafka(settings).consumer({ groupId: `${settings.clientId}-latest-${randomUUID()}`, maxWaitTimeInMs: 500, retry: { retries: 5 } });
    consumer = member;
    member.on(member.events.GROUP_JOIN, () => markReady());
    // kafkajs gives up after its own retries; a fresh member then takes over, so a long outage ends in a reconnect.
    member.on(member.events.CRASH, (event) => {
      if (event.payload.restart) return;
      logger.warn({ err: event.payload.error?.message }, 'live subscriber crashed; reconnecting');
      void member.disconnect().catch(() => undefined);
      schedule();
    });
    try {
      await member.connect();
      await member.subscribe({ topics: topics.map((topic) => prefixedTopic(settings, topic)), fromBeginning: false });
      await member.run({
        autoCommit: false,
        eachMessage: async ({ topic, message }) => {
          if (message.value) onMessage(message.value.toString('utf8'), topic);
        },
      });
      logger.info({ topics }, 'live subscriber running');
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'live subscriber could not start; retrying');
      await member.disconnect().catch(() => undefined);
      schedule();
    }
  };
  const schedule = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void start(), RECONNECT_MS);
  };

  void start();
  return {
    ready,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await consumer?.disconnect().catch(() => undefined);
    },
  };
}
