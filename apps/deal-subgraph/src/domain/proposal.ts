import {
  badInput,
  Dec,
  LIST_LIMITS,
  type Money,
  money,
  parseMoney,
  percentToDecimal,
  type ProposalStatus,
  requireText,
  roundToCurrency,
} from '@pipeline/domain';

export interface LineItem {
  description: string;
  quantity: number;
  unitPrice: Money;
  discountPercent: number;
  total: Money;
}

export interface Proposal {
  id: string;
  dealId: string;
  opportunityId: string;
  version: number;
  status: ProposalStatus;
  currency: string;
  lineItems: LineItem[];
  subtotal: Money;
  total: Money;
  validUntil: string | null;
  sentAt: Date | null;
  decidedAt: Date | null;
  decisionReason: string | null;
  createdAt: Date;
  createdBy: string | null;
}

export interface LineItemDraft {
  description: unknown;
  quantity: unknown;
  unitPrice: { amount: unknown; currency: unknown };
  discountPercent?: unknown;
}

export const MAX_LINE_ITEMS = LIST_LIMITS.lineItemsPerProposal;
export const MAX_QUANTITY = 1_000_000_000;

// Exact decimal pricing: each line is quantity x unit price less its discount, rounded half-up to the currency's minor
// unit once; the total is the exact sum of the rounded lines, so the document adds up to the cent.
export function priceLineItems(drafts: LineItemDraft[]): { currency: string; lineItems: LineItem[]; subtotal: Money; total: Money } {
  if (!Array.isArray(drafts) || drafts.length === 0 || drafts.length > MAX_LINE_ITEMS)
    throw badInput('lineItems', `a proposal has 1 to ${MAX_LINE_ITEMS} line items`);
  let currency: string | null = null;
  let subtotal = new Dec(0);
  let total = new Dec(0);
  const lineItems = drafts.map((draft, index) => {
    const at = `lineItems[${index}]`;
    const description = requireText(draft.description, `${at}.description`, { maxLength: 500 });
    if (typeof draft.quantity !== 'number' || !Number.isInteger(draft.quantity) || draft.quantity < 1 || draft.quantity > MAX_QUANTITY) {
      throw badInput(`${at}.quantity`, `quantity must be a whole number from 1 to ${MAX_QUANTITY}`);
    }
    if (!draft.unitPrice || typeof draft.unitPrice !== 'object') throw badInput(`${at}.unitPrice`, 'unitPrice is required');
    const unitPrice = parseMoney(draft.unitPrice, `${at}.unitPrice`, { maxScale: 4 });
    if (currency !== null && unitPrice.currency !== currency)
      throw badInput(`${at}.unitPrice.currency`, `every line of a proposal is in one currency (${currency})`);
    currency = unitPrice.currency;
    const discount =
      draft.discountPercent === null || draft.discountPercent === undefined
        ? new Dec(0)
        : percentToDecimal(draft.discountPercent as number, `${at}.discountPercent`, 2);
    const gross = new Dec(unitPrice.amount).times(draft.quantity);
    const net = roundToCurrency(gross.times(new Dec(100).minus(discount)).dividedBy(100), unitPrice.currency);
    subtotal = subtotal.plus(roundToCurrency(gross, unitPrice.currency));
    total = total.plus(net);
    return { description, quantity: draft.quantity, unitPrice, discountPercent: discount.toNumber(), total: money(net, unitPrice.currency) };
  });
  const code = currency as unknown as string;
  return { currency: code, lineItems, subtotal: money(subtotal, code), total: money(total, code) };
}
