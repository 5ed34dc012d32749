import { createParser } from 'eventsource-parser';
import { useEffect, useEffectEvent } from 'react';

export interface OpportunityChange {
  opportunityId: string;
  pipelineId: string;
  stage: string;
  version: number;
}

// Server-Sent Events read with fetch (EventSource cannot send the bearer token), reconnecting with backoff. The
// gateway pushes ids and versions of opportunities the caller may see; screens re-read what they show.
export function subscribeToOpportunityChanges(token: string, onChange: (change: OpportunityChange) => void, onConnected: () => void): () => void {
  const controller = new AbortController();
  let attempt = 0;
  const connect = async (): Promise<void> => {
    while (!controller.signal.aborted) {
      try {
        const response = await fetch('/live/opportunities', {
          headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
          signal: controller.signal,
        });
        // 401 (token expired) and 503 (live updates off) will not change by retrying soon.
        if (response.status === 401 || response.status === 503 || !response.body) return;
        attempt = 0;
        onConnected();
        const parser = createParser({
          onEvent(event) {
            if (event.event === 'opportunity') onChange(JSON.parse(event.data) as OpportunityChange);
          },
        });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.feed(value);
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      attempt += 1;
      await new Promise((resolve) => window.setTimeout(resolve, Math.min(1_000 * 2 ** Math.min(attempt, 4), 15_000)));
    }
  };
  void connect();
  return () => controller.abort();
}

// Calls back (at most once per `debounceMs`) when an opportunity of the pipeline changes, and after each reconnect.
export function useOpportunityChanges(token: string | null, enabled: boolean, onChange: (change: OpportunityChange | null) => void, debounceMs = 150): void {
  const notify = useEffectEvent((change: OpportunityChange | null) => onChange(change));
  useEffect(() => {
    if (!token || !enabled) return;
    let timer: number | undefined;
    let latest: OpportunityChange | null = null;
    const fire = (change: OpportunityChange | null) => {
      latest = change;
      window.clearTimeout(timer);
      timer = window.setTimeout(() => notify(latest), debounceMs);
    };
    let connectedBefore = false;
    const unsubscribe = subscribeToOpportunityChanges(token, fire, () => {
      // The first connection needs no re-read; a reconnect may have missed changes.
      if (connectedBefore) fire(null);
      connectedBefore = true;
    });
    return () => {
      window.clearTimeout(timer);
      unsubscribe();
    };
  }, [token, enabled, debounceMs]);
}
