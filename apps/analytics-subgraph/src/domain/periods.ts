export type TimeBucket = 'WEEK' | 'MONTH' | 'QUARTER';

export interface Period {
  start: Date;
  end: Date;
}

// Calendar buckets in UTC: ISO weeks start on Monday, quarters on January, April, July and October.
export function bucketStart(at: Date, bucket: TimeBucket): Date {
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth();
  if (bucket === 'MONTH') return new Date(Date.UTC(year, month, 1));
  if (bucket === 'QUARTER') return new Date(Date.UTC(year, month - (month % 3), 1));
  const day = new Date(Date.UTC(year, month, at.getUTCDate()));
  const offset = (day.getUTCDay() + 6) % 7;
  day.setUTCDate(day.getUTCDate() - offset);
  return day;
}

export function nextBucket(start: Date, bucket: TimeBucket): Date {
  const next = new Date(start);
  if (bucket === 'WEEK') next.setUTCDate(next.getUTCDate() + 7);
  else next.setUTCMonth(next.getUTCMonth() + (bucket === 'MONTH' ? 1 : 3));
  return next;
}

export function periods(from: Date | null, to: Date, bucket: TimeBucket, defaultCount = 12, maxCount = 260): Period[] {
  let start = from ? bucketStart(from, bucket) : bucketStart(to, bucket);
  if (!from) for (let index = 1; index < defaultCount; index += 1) start = previousBucket(start, bucket);
  const result: Period[] = [];
  while (start < to && result.length < maxCount) {
    const end = nextBucket(start, bucket);
    result.push({ start, end });
    start = end;
  }
  return result;
}

function previousBucket(start: Date, bucket: TimeBucket): Date {
  const previous = new Date(start);
  if (bucket === 'WEEK') previous.setUTCDate(previous.getUTCDate() - 7);
  else previous.setUTCMonth(previous.getUTCMonth() - (bucket === 'MONTH' ? 1 : 3));
  return previous;
}

export const monthStart = (date: Date): string => `${date.toISOString().slice(0, 7)}-01`;
