import { Webhook } from 'standardwebhooks';
import type { DataSource } from 'typeorm';

import { afterAttempt, type RetryPolicy } from '../../domain/webhook';
import { claimDueDeliveries, type DueDelivery, recordAttempt } from '../../persistence/webhook-repository';

export interface DeliveryOptions {
  policy: RetryPolicy;
  // How long a claimed delivery is reserved for this sender before another may try it.
  leaseMs: number;
  requestTimeoutMs: number;
  batch: number;
}

export const DEFAULT_DELIVERY_OPTIONS: Omit<DeliveryOptions, 'policy'> = { leaseMs: 60_000, requestTimeoutMs: 10_000, batch: 50 };

// One POST signed the Standard Webhooks way: webhook-id (the delivery's id, the same on every retry, for the receiver's
// dedupe), webhook-timestamp (seconds) and webhook-signature (v1, HMAC-SHA256 of id.timestamp.body with the endpoint's secret).
async function send(delivery: DueDelivery, now: Date, timeoutMs: number): Promise<{ ok: boolean; status: number | null; error: string | null }> {
  const body = JSON.stringify(delivery.payload);
  const signature = new Webhook(delivery.secret).sign(delivery.id, now, body);
  try {
    const response = await fetch(delivery.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': delivery.id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return { ok: response.status >= 200 && response.status < 300, status: response.status, error: response.ok ? null : `HTTP ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { ok: false, status: null, error: cause ?? (error as Error).message };
  }
}

// Sends what is due, records each outcome: delivered, retried later with backoff, or dead-lettered. Returns how many were tried.
export async function deliverWebhooks(dataSource: DataSource, now: Date, options: DeliveryOptions): Promise<number> {
  const due = await claimDueDeliveries(dataSource.manager, now, options.leaseMs, options.batch);
  await Promise.all(
    due.map(async (delivery) => {
      const result = await send(delivery, now, options.requestTimeoutMs);
      const attempts = delivery.attempts + 1;
      const outcome = afterAttempt(attempts, result.ok, new Date(), options.policy);
      await recordAttempt(dataSource.manager, delivery.id, {
        attempts,
        status: outcome.status,
        nextAttemptAt: outcome.status === 'PENDING' ? outcome.nextAttemptAt : null,
        lastStatus: result.status,
        lastError: result.error,
        deliveredAt: outcome.status === 'DELIVERED' ? new Date() : null,
      });
    }),
  );
  return due.length;
}
