import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { TOPICS } from '@pipeline/events';
import { errorCodes, expectNoErrors, managerActor, repActor, type TestService, waitFor } from '@pipeline/testing';
import { Webhook } from 'standardwebhooks';

import { arrangeRep, leadAssignedData, publish, startEngagementService } from '../../test-support';
import { deliverWebhooks } from './deliver-webhooks';

const REGISTER = `mutation($input: RegisterTeamWebhookInput!) { registerTeamWebhook(input: $input) { secret webhook { id teamId url active } } }`;
const HOOKS = `query { teamWebhooks { id url deliveries { status attempts lastStatus notificationId } } }`;

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

// A local receiver: /flaky fails twice then accepts, /down always fails.
async function startReceiver(): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  let flaky = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers as Record<string, string>, body: Buffer.concat(chunks).toString() });
      const ok = request.url === '/flaky' && ++flaky > 2;
      response.writeHead(ok ? 204 : request.url === '/flaky' ? 503 : 500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('team webhooks', () => {
  let subject: TestService;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let rep: string;
  let southRep: string;
  const manager = managerActor('north');

  beforeAll(async () => {
    [subject, receiver] = await Promise.all([startEngagementService('webhooks'), startReceiver()]);
    [rep, southRep] = await Promise.all([arrangeRep(subject, 'north'), arrangeRep(subject, 'south')]);
  });
  afterAll(async () => {
    await subject?.stop();
    await receiver?.close();
  });

  it('delivers a team member’s notification signed the Standard Webhooks way, retries with backoff, and dead-letters an endpoint that keeps failing', async () => {
    // Arrange
    const flaky = expectNoErrors<any>(await subject.as(manager)(REGISTER, { input: { url: `${receiver.url}/flaky` } })).registerTeamWebhook;
    const down = expectNoErrors<any>(await subject.as(manager)(REGISTER, { input: { url: `${receiver.url}/down` } })).registerTeamWebhook;
    const leadId = randomUUID();
    await publish(subject, [{ topic: TOPICS.leadEvents, type: 'sales.lead.assigned.v1', subject: leadId, data: leadAssignedData(leadId, rep) }]);
    const [notification] = await waitFor(
      async () => {
        const rows = await subject.service.dataSource.query('SELECT id FROM notification WHERE lead_id = $1', [leadId]);
        return rows.length > 0 ? rows : null;
      },
      { what: 'the notification' },
    );
    const options = { policy: { maxAttempts: 3, baseBackoffMs: 20, maxBackoffMs: 100 }, leaseMs: 60_000, requestTimeoutMs: 2_000, batch: 50 };

    // Act: the sender runs until both deliveries are settled
    const hooks = await waitFor(
      async () => {
        await deliverWebhooks(subject.service.dataSource, new Date(), options);
        const listed = expectNoErrors<any>(await subject.as(manager)(HOOKS)).teamWebhooks;
        return listed.every((hook: any) => hook.deliveries.length === 1 && hook.deliveries[0].status !== 'PENDING') ? listed : null;
      },
      { what: 'both deliveries to settle', intervalMs: 25 },
    );

    // Assert
    const byId = Object.fromEntries(hooks.map((hook: any) => [hook.id, hook.deliveries[0]]));
    expect(byId[flaky.webhook.id]).toEqual({ status: 'DELIVERED', attempts: 3, lastStatus: 204, notificationId: notification.id });
    expect(byId[down.webhook.id]).toEqual({ status: 'DEAD', attempts: 3, lastStatus: 500, notificationId: notification.id });
    const toFlaky = receiver.received.filter((request) => request.path === '/flaky');
    expect(toFlaky).toHaveLength(3);
    expect(new Set(toFlaky.map((request) => request.headers['webhook-id'])).size).toBe(1);
    for (const request of toFlaky) {
      const payload = new Webhook(flaky.secret).verify(request.body, request.headers) as any;
      expect(payload).toMatchObject({
        type: 'notification.created',
        data: { id: notification.id, kind: 'LEAD_ASSIGNED', recipientId: rep, teamId: 'north', leadId },
      });
    }
    expect(() => new Webhook(down.secret).verify(toFlaky[0].body, toFlaky[0].headers)).toThrow();
  });

  it('sends nothing to a team’s webhooks for another team’s notification', async () => {
    // Arrange
    const leadId = randomUUID();

    // Act
    await publish(subject, [{ topic: TOPICS.leadEvents, type: 'sales.lead.assigned.v1', subject: leadId, data: leadAssignedData(leadId, southRep) }]);
    await waitFor(async () => (await subject.service.dataSource.query('SELECT 1 FROM notification WHERE lead_id = $1', [leadId])).length > 0, {
      what: 'the notification',
    });

    // Assert
    expect(
      await subject.service.dataSource.query('SELECT d.id FROM webhook_delivery d JOIN notification n ON n.id = d.notification_id WHERE n.lead_id = $1', [
        leadId,
      ]),
    ).toEqual([]);
  });

  it('lets only the team’s managers and admins register, and refuses a URL that is not http(s)', async () => {
    expect(errorCodes(await subject.as(repActor(rep, 'north'))(REGISTER, { input: { url: `${receiver.url}/x` } }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await subject.as(managerActor('south'))(REGISTER, { input: { teamId: 'north', url: `${receiver.url}/x` } }))).toEqual(['FORBIDDEN']);
    const refused = await subject.as(manager)(REGISTER, { input: { url: 'ftp://example.com/hook' } });
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors?.[0].extensions?.field).toBe('url');
  });
});
