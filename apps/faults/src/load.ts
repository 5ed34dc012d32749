import type { GraphQLCall, GraphQLResponse } from '@pipeline/testing';

export interface LoadOutcome {
  variables?: Record<string, unknown>;
  response?: GraphQLResponse;
  // A request that never got an HTTP answer (connection reset, refused).
  failure?: string;
}

export interface Load {
  outcomes: LoadOutcome[];
  stop(): Promise<LoadOutcome[]>;
}

// Clients calling back to back until stopped; every answer (or failure) is kept for the assertions.
export function startLoad(call: GraphQLCall, operation: () => [string, Record<string, unknown>?], clients = 4): Load {
  const outcomes: LoadOutcome[] = [];
  let running = true;
  const loops = Array.from({ length: clients }, async () => {
    while (running) {
      const [query, variables] = operation();
      const outcome: LoadOutcome = await call(query, variables).then(
        (response) => ({ variables, response }),
        (error: Error) => ({ variables, failure: (error.cause as { code?: string } | undefined)?.code ?? error.message }),
      );
      outcomes.push(outcome);
      // Paces a client whose calls fail at once (a service down), so it does not starve the restart of CPU.
      if (failed([outcome]).length > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  return {
    outcomes,
    async stop() {
      running = false;
      await Promise.all(loops);
      return outcomes;
    },
  };
}

export const failed = (outcomes: LoadOutcome[]): LoadOutcome[] =>
  outcomes.filter((outcome) => outcome.failure || outcome.response?.status !== 200 || (outcome.response.errors?.length ?? 0) > 0);
