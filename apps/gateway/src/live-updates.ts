import { type Actor, canRead } from '@pipeline/domain';
import { TOPICS } from '@pipeline/events';
import { type KafkaSettings, type LatestSubscription, subscribeToLatest } from '@pipeline/messaging';
import type { Logger } from '@pipeline/server-kit';
import express, { type Request, type Response, type Router } from 'express';
import { decodeJwt } from 'jose';

import { AuthenticationError } from './auth';

// Live board updates: the gateway reads the opportunity fact streams from Kafka and pushes, over Server-Sent Events,
// which opportunity changed to each browser allowed to see it. The browser then re-reads through the graph, so the
// stream carries ids and versions only, and row-level rules stay where they are.
export interface OpportunityChange {
  opportunityId: string;
  pipelineId: string;
  stage: string;
  version: number;
  ownerId: string | null;
  ownerTeamId: string | null;
}

interface Listener {
  actor: Actor;
  response: Response;
}

const HEARTBEAT_MS = 20_000;

// Stage changes carry the new stage; created and updated events carry the current one. Other event types are ignored.
export function opportunityChangeOf(value: string): OpportunityChange | null {
  interface Snapshot {
    ownerId?: string | null;
    ownerTeamId?: string | null;
  }
  let event: {
    type?: string;
    data?: { opportunityId?: unknown; pipelineId?: unknown; toStage?: unknown; stage?: unknown; version?: unknown; opportunity?: Snapshot };
  };
  try {
    event = JSON.parse(value);
  } catch {
    return null;
  }
  const data = event.data;
  if (!data || typeof data.opportunityId !== 'string' || typeof data.pipelineId !== 'string') return null;
  const { opportunityId, pipelineId } = data;
  const stage =
    event.type === 'sales.opportunity.stage_changed.v1'
      ? data.toStage
      : event.type === 'sales.opportunity.created.v1' || event.type === 'sales.opportunity.updated.v1'
        ? data.stage
        : null;
  if (typeof stage !== 'string') return null;
  return {
    opportunityId,
    pipelineId,
    stage,
    version: Number(data.version),
    ownerId: data.opportunity?.ownerId ?? null,
    ownerTeamId: data.opportunity?.ownerTeamId ?? null,
  };
}

export interface LiveUpdates {
  router: Router;
  // For tests and the bench: resolves once the Kafka subscription is assigned.
  ready: Promise<void>;
  publish(change: OpportunityChange): void;
  close(): Promise<void>;
}

export function liveUpdates(options: {
  kafka: KafkaSettings | null;
  verify: (authorization: string | undefined) => Promise<Actor>;
  logger: Logger;
}): LiveUpdates {
  const listeners = new Set<Listener>();
  const publish = (change: OpportunityChange) => {
    const { ownerId, ownerTeamId, ...visible } = change;
    const frame = `event: opportunity\ndata: ${JSON.stringify(visible)}\n\n`;
    for (const listener of listeners) if (canRead(listener.actor, { ownerId, ownerTeamId })) listener.response.write(frame);
  };
  const subscription: LatestSubscription | null = options.kafka
    ? subscribeToLatest(
        options.kafka,
        [TOPICS.stageChanged, TOPICS.opportunityEvents],
        (value) => {
          const change = opportunityChangeOf(value);
          if (change) publish(change);
        },
        options.logger,
      )
    : null;

  const router = express.Router();
  router.get('/opportunities', async (request: Request, response: Response) => {
    let actor: Actor;
    try {
      actor = await options.verify(request.headers.authorization);
    } catch (error) {
      if (error instanceof AuthenticationError)
        return void response.status(401).json({ errors: [{ message: error.message, extensions: { code: 'UNAUTHENTICATED' } }] });
      throw error;
    }
    if (!subscription)
      return void response.status(503).json({ errors: [{ message: 'Live updates are off on this gateway', extensions: { code: 'UNAVAILABLE' } }] });
    response.status(200).set({ 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    response.flushHeaders();
    response.write('retry: 2000\n: connected\n\n');
    const listener: Listener = { actor, response };
    listeners.add(listener);
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_MS);
    // The stream ends with the token, so a revoked or expired identity stops receiving; the client reconnects with a new one.
    const expiresAt = (decodeJwt(request.headers.authorization?.replace(/^Bearer\s+/i, '') ?? '').exp ?? 0) * 1_000;
    const expiry = setTimeout(() => response.end(), Math.max(0, Math.min(expiresAt - Date.now(), 2 ** 31 - 1)));
    request.on('close', () => {
      clearInterval(heartbeat);
      clearTimeout(expiry);
      listeners.delete(listener);
    });
  });

  return {
    router,
    ready: subscription?.ready ?? Promise.resolve(),
    publish,
    async close() {
      for (const listener of listeners) listener.response.end();
      listeners.clear();
      await subscription?.stop();
    },
  };
}
