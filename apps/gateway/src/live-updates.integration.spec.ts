import { randomUUID } from 'node:crypto';

import { createKafka, ensureTopics } from '@pipeline/messaging';
import { createLogger } from '@pipeline/server-kit';
import { deleteTopicsWithPrefix, mintUserToken, testKafkaBrokers, testTopicPrefix, waitFor } from '@pipeline/testing';

import { gatewayConfigFromEnv } from './config';
import { type RunningGateway, startGateway } from './gateway-server';

// The gateway's live feed for open boards, on the real broker; no subgraph is running.
const logger = createLogger('gateway-live-test', 'silent');
const SECRET = 'web-edge-test-secret-0123456789abcdef0123456789';
const NO_SUBGRAPHS = {
  LEAD_SUBGRAPH_URL: 'http://127.0.0.1:9/graphql',
  OPPORTUNITY_SUBGRAPH_URL: 'http://127.0.0.1:9/graphql',
  DEAL_SUBGRAPH_URL: 'http://127.0.0.1:9/graphql',
  ANALYTICS_SUBGRAPH_URL: 'http://127.0.0.1:9/graphql',
};

const start = (env: Record<string, string>) => startGateway(gatewayConfigFromEnv({ AUTH_JWT_SECRET: SECRET, ...NO_SUBGRAPHS, ...env }), logger, 0);
const base = (gateway: RunningGateway) => gateway.url.replace(/\/graphql$/, '');

describe('live opportunity changes over Server-Sent Events', () => {
  let gateway: RunningGateway;
  const prefix = testTopicPrefix('gateway-live');
  const rita = randomUUID();
  const sam = randomUUID();
  const kafka = createKafka({ brokers: testKafkaBrokers().split(','), clientId: 'gateway-live-test' });
  const producer = kafka.producer();

  beforeAll(async () => {
    await ensureTopics(kafka, [{ topic: `${prefix}sales.stage-changed.v1` }, { topic: `${prefix}sales.opportunity-events.v1` }]);
    await producer.connect();
    gateway = await start({ KAFKA_BROKERS: testKafkaBrokers(), KAFKA_TOPIC_PREFIX: prefix });
  });
  afterAll(async () => {
    await gateway?.stop();
    await producer.disconnect();
    await deleteTopicsWithPrefix(prefix);
  });

  const stageChanged = (opportunityId: string, ownerId: string, ownerTeamId: string, version: number) => ({
    // One key: both owners' events share a partition, so they arrive in the order they were sent.
    key: 'ordered',
    value: JSON.stringify({
      type: 'sales.opportunity.stage_changed.v1',
      data: { opportunityId, pipelineId: 'p1', toStage: 'PROPOSAL', version, opportunity: { ownerId, ownerTeamId } },
    }),
  });

  it('pushes a change to those who may see the opportunity and not to a rep of another team; the stream carries no owner', async () => {
    // Arrange
    const response = await fetch(`${base(gateway)}/live/opportunities`, {
      headers: { authorization: `Bearer ${await mintUserToken({ userId: rita, roles: ['REP'], teamId: 'north' }, SECRET)}` },
    });
    const reader = (response.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
    let received = '';
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        received += value;
      }
    })();
    const ritasOpportunity = randomUUID();
    // The subscription joins its group in the background: send until the first change comes through.
    let version = 0;
    await waitFor(
      async () => {
        version += 1;
        await producer.send({ topic: `${prefix}sales.stage-changed.v1`, messages: [stageChanged(ritasOpportunity, rita, 'north', version)] });
        return received.includes(ritasOpportunity);
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'the first live change' },
    );

    // Act
    const samsOpportunity = randomUUID();
    await producer.send({
      topic: `${prefix}sales.stage-changed.v1`,
      messages: [stageChanged(samsOpportunity, sam, 'south', 1), stageChanged(ritasOpportunity, rita, 'north', 1000)],
    });
    await waitFor(() => received.includes('"version":1000'), { what: "Rita's last change" });
    await reader.cancel();

    // Assert
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(received).not.toContain(samsOpportunity);
    expect(received).toContain(`event: opportunity\ndata: {"opportunityId":"${ritasOpportunity}","pipelineId":"p1","stage":"PROPOSAL","version":1000}`);
    expect(received).not.toContain(rita);
  });
});
