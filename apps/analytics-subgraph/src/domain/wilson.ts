// A rate with its sample and a 95% Wilson score interval: honest at small samples and near 0 or 1, where the normal
// approximation gives intervals outside [0, 1].
export interface RateEstimate {
  successes: number;
  sample: number;
  rate: number | null;
  low: number | null;
  high: number | null;
}

const Z95 = 1.959963984540054;

export function wilsonInterval(successes: number, sample: number, z = Z95): RateEstimate {
  if (!Number.isInteger(successes) || !Number.isInteger(sample) || successes < 0 || sample < 0 || successes > sample) {
    throw new RangeError(`a rate needs 0 <= successes <= sample, got ${successes} of ${sample}`);
  }
  if (sample === 0) return { successes, sample, rate: null, low: null, high: null };
  const p = successes / sample;
  const z2 = z * z;
  const centre = (p + z2 / (2 * sample)) / (1 + z2 / sample);
  const margin = (z / (1 + z2 / sample)) * Math.sqrt((p * (1 - p)) / sample + z2 / (4 * sample * sample));
  return { successes, sample, rate: p, low: Math.max(0, centre - margin), high: Math.min(1, centre + margin) };
}
