import { badInput, Dec, parseDecimal } from '@pipeline/domain';

export interface DealSizeBand {
  name: string;
  minAmount: string | null;
  maxAmount: string | null;
}

export const DEFAULT_SIZE_BANDS: DealSizeBand[] = [
  { name: 'SMALL', minAmount: null, maxAmount: '10000' },
  { name: 'MEDIUM', minAmount: '10000', maxAmount: '50000' },
  { name: 'LARGE', minAmount: '50000', maxAmount: '250000' },
  { name: 'ENTERPRISE', minAmount: '250000', maxAmount: null },
];

// Bands must tile the amounts with no gap or overlap, so every amount has exactly one band.
export function parseSizeBands(raw: Array<{ name: unknown; minAmount?: unknown; maxAmount?: unknown }>): DealSizeBand[] {
  if (!Array.isArray(raw) || raw.length < 1 || raw.length > 20) throw badInput('bands', 'bands must list 1 to 20 bands');
  const bands = raw.map((band, index) => {
    if (typeof band.name !== 'string' || !/^[A-Z][A-Z0-9_]{0,29}$/.test(band.name)) throw badInput(`bands[${index}].name`, 'band names are UPPER_SNAKE_CASE');
    const min = band.minAmount === null || band.minAmount === undefined ? null : parseDecimal(band.minAmount, `bands[${index}].minAmount`).toString();
    const max = band.maxAmount === null || band.maxAmount === undefined ? null : parseDecimal(band.maxAmount, `bands[${index}].maxAmount`).toString();
    return { name: band.name, minAmount: min, maxAmount: max };
  });
  if (bands[0].minAmount !== null) throw badInput('bands[0].minAmount', 'the first band starts with no lower bound');
  if (bands[bands.length - 1].maxAmount !== null) throw badInput(`bands[${bands.length - 1}].maxAmount`, 'the last band has no upper bound');
  for (let index = 1; index < bands.length; index += 1) {
    const previous = bands[index - 1].maxAmount;
    const current = bands[index].minAmount;
    if (previous === null || current === null || !new Dec(previous).equals(current))
      throw badInput(`bands[${index}].minAmount`, 'each band starts where the previous one ends');
    if (bands[index].maxAmount !== null && !new Dec(bands[index].maxAmount as string).greaterThan(current))
      throw badInput(`bands[${index}].maxAmount`, 'maxAmount must be above minAmount');
  }
  if (new Set(bands.map((band) => band.name)).size !== bands.length) throw badInput('bands', 'band names must be unique');
  return bands;
}

export function bandOf(bands: DealSizeBand[], amount: string | null): string | null {
  if (amount === null) return null;
  const value = new Dec(amount);
  return (
    bands.find((band) => (band.minAmount === null || value.greaterThanOrEqualTo(band.minAmount)) && (band.maxAmount === null || value.lessThan(band.maxAmount)))
      ?.name ?? null
  );
}
