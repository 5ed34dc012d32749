import type { Actor } from '@pipeline/domain';

import type { AnalyticsDeps } from './use-cases/deps';

export interface AnalyticsContext {
  actor: Actor;
  deps: AnalyticsDeps;
}
