import { expectNoErrors } from '@pipeline/testing';

import { type BenchResult, percentiles, result } from './bench-kit';
import type { BenchStack } from './bench-stack';

interface LoopStats {
  done: number;
  failed: number;
  seconds: number;
  latencies: number[];
}

// Runs `workers` loops for `seconds`, each calling `step(worker, iteration)`; a step that returns false is a failure.
async function loop(workers: number, seconds: number, step: (worker: number, iteration: number) => Promise<boolean>): Promise<LoopStats> {
  const deadline = Date.now() + seconds * 1000;
  const stats: LoopStats = { done: 0, failed: 0, seconds, latencies: [] };
  const started = Date.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let iteration = 0; Date.now() < deadline; iteration += 1) {
        const began = performance.now();
        const ok = await step(worker, iteration);
        stats.latencies.push(performance.now() - began);
        if (ok) stats.done += 1;
        else stats.failed += 1;
      }
    }),
  );
  stats.seconds = (Date.now() - started) / 1000;
  return stats;
}

// Stage moves per second through the gateway (auth, routing, subgraph, gates, history, outbox) against the same
// number of concurrent clients reading the pipelines through the gateway.
export async function benchStageMoves(stack: BenchStack, workers = 8, seconds = 20): Promise<BenchResult> {
  const opportunities: string[] = [];
  for (let index = 0; index < workers * 4; index += 1) {
    opportunities.push(
      expectNoErrors(
        await stack.admin<any>(`mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { opportunity { id } } }`, {
          input: {
            name: `Bench ${index}`,
            accountName: `Bench account ${index}`,
            amount: { amount: '10000', currency: 'EUR' },
            expectedCloseDate: '2027-06-30',
          },
        }),
      ).createOpportunity.opportunity.id,
    );
  }
  const baseline = await loop(workers, seconds, async () => !(await stack.admin(`{ pipelines { id stages { key } } }`)).errors);
  // Each worker owns its opportunities, so moves never race each other: this measures throughput, not conflicts.
  const stageOf = new Map(opportunities.map((id) => [id, 'QUALIFICATION']));
  const moves = await loop(workers, seconds, async (worker, iteration) => {
    const id = opportunities[worker + workers * (iteration % 4)];
    const forward = stageOf.get(id) === 'QUALIFICATION';
    const response = await stack.admin(`mutation($input: MoveOpportunityStageInput!) { moveOpportunityStage(input: $input) { opportunity { version } } }`, {
      input: { opportunityId: id, toStage: forward ? 'PROPOSAL' : 'QUALIFICATION', reason: forward ? null : 'Benchmark: back again' },
    });
    if (response.errors) return false;
    stageOf.set(id, forward ? 'PROPOSAL' : 'QUALIFICATION');
    return true;
  });
  return result('stage-moves', 'requests/s', moves.done / moves.seconds, 'pipelines read through the gateway', baseline.done / baseline.seconds, {
    workers,
    secondsEach: seconds,
    moves: moves.done,
    failedMoves: moves.failed,
    moveLatencyMs: percentiles(moves.latencies),
    readLatencyMs: percentiles(baseline.latencies),
  });
}
