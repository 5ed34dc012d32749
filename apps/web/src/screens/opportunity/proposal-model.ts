// Proposal lines as typed in the form; the deal service computes exact totals, this only previews them.
export interface DraftLine {
  key: string;
  description: string;
  quantity: string;
  unitPrice: string;
  discountPercent: string;
}

let counter = 0;
export const emptyLine = (): DraftLine => ({ key: `line-${(counter += 1)}`, description: '', quantity: '1', unitPrice: '', discountPercent: '0' });

export const lineItemInputs = (lines: DraftLine[], currency: string) =>
  lines.map((line) => ({
    description: line.description.trim(),
    quantity: Number(line.quantity),
    unitPrice: { amount: line.unitPrice.trim(), currency },
    discountPercent: Number(line.discountPercent || '0'),
  }));

// In cents with integer arithmetic, so the preview shows what the exact decimal total will be for whole-cent prices.
export function proposalPreviewTotal(lines: DraftLine[], currency: string): string {
  let cents = 0;
  for (const line of lines) {
    const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(line.unitPrice.trim());
    const quantity = Number(line.quantity);
    if (!match || !Number.isInteger(quantity)) return '—';
    const unitCents = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
    const discount = Number(line.discountPercent || '0');
    cents += Math.round((unitCents * quantity * (100 - discount)) / 100);
  }
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(cents / 100);
}
