import { randomUUID } from 'node:crypto';

import { parseCloudEvent, TOPICS, type TypedCloudEvent } from '@pipeline/events';
import { Kafka, logLevel } from 'kafkajs';

// An analyst's starting point: reads sales.stage-changed.v1 (every stage change of every opportunity, creation and
// close included), checks each message against the contract's JSON Schema, and hands typed events to a callback.
//
//   npm run stream:stage-changes                       # new changes as they happen
//   npm run stream:stage-changes -- --from-beginning   # replay the whole history (topics keep every event)
//   npm run stream:stage-changes -- --from-beginning --max 100 --group my-report
//
// KAFKA_BROKERS (default: the broker `npm start` prints, 127.0.0.1:29092) and KAFKA_TOPIC_PREFIX as for the services.
export type StageChanged = TypedCloudEvent<'sales.opportunity.stage_changed.v1'>;

export interface ReadOptions {
  brokers: string[];
  topic: string;
  // A consumer group remembers where it stopped; a new group with fromBeginning replays from offset 0.
  groupId: string;
  fromBeginning: boolean;
  onEvent: (event: StageChanged) => void | Promise<void>;
  onInvalid?: (reason: string, offset: string) => void;
}

export interface Reader {
  stop(): Promise<void>;
}

export async function readStageChanges(options: ReadOptions): Promise<Reader> {
  const kafka = new Kafka({ clientId: 'stage-change-reader', brokers: options.brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: options.groupId });
  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: options.fromBeginning });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const parsed = parseCloudEvent(message.value);
      if (!parsed.ok || parsed.event.type !== 'sales.opportunity.stage_changed.v1') {
        options.onInvalid?.(parsed.ok ? `unexpected type ${parsed.event.type}` : parsed.reason, message.offset);
        return;
      }
      await options.onEvent(parsed.event);
    },
  });
  return { stop: () => consumer.disconnect() };
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const max = Number(argument('--max') ?? Infinity);
  let seen = 0;
  // Events may arrive before readStageChanges returns, so the handle is looked up when stopping.
  const state: { reader?: Reader } = {};
  const done = async () => {
    await state.reader?.stop();
    process.exit(0);
  };
  state.reader = await readStageChanges({
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:29092').split(','),
    topic: `${process.env.KAFKA_TOPIC_PREFIX ?? ''}${TOPICS.stageChanged}`,
    groupId: argument('--group') ?? `analyst-${randomUUID()}`,
    fromBeginning: process.argv.includes('--from-beginning'),
    onEvent: (event) => {
      const { opportunityId, fromStage, toStage, toStageCategory, version, opportunity } = event.data;
      console.log(
        JSON.stringify({
          time: event.time,
          opportunityId,
          fromStage,
          toStage,
          toStageCategory,
          version,
          amount: opportunity.amount,
          ownerId: opportunity.ownerId,
        }),
      );
      if (++seen >= max) void done();
    },
    onInvalid: (reason, offset) => console.error(`offset ${offset} skipped: ${reason}`),
  });
  process.once('SIGINT', () => void done());
}

if (require.main === module) {
  main().catch((error) => {
    console.error((error as Error).message);
    process.exit(1);
  });
}
