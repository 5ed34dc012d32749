import type { DealTerms } from './deal';
import type { Proposal } from './proposal';

export interface ProposalContext {
  accountName: string;
  opportunityName: string;
  contactName: string | null;
  statedNeed: string | null;
  terms: DealTerms | null;
}

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string);

const amount = (value: { amount: string; currency: string }) => `${escape(value.amount)} ${escape(value.currency)}`;

// A proposal a person would send: addressed to the account, answering the need the lead stated during qualification.
export function renderProposalDocument(proposal: Proposal, context: ProposalContext): string {
  const rows = proposal.lineItems
    .map(
      (item) =>
        `<tr><td>${escape(item.description)}</td><td class="num">${item.quantity}</td><td class="num">${amount(item.unitPrice)}</td><td class="num">${item.discountPercent}%</td><td class="num">${amount(item.total)}</td></tr>`,
    )
    .join('\n');
  const need = context.statedNeed
    ? `<section class="need"><h2>What you told us</h2><p>${escape(context.statedNeed)}</p><p>This proposal is built around that need.</p></section>`
    : '';
  const terms = context.terms
    ? `<section class="terms"><h2>Terms</h2><p>Payment within ${context.terms.paymentTermsDays} days; contract length ${context.terms.contractLengthMonths} months.</p></section>`
    : '';
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Proposal v${proposal.version} for ${escape(context.accountName)}</title>
<style>body{font-family:sans-serif;max-width:52rem;margin:2rem auto}table{width:100%;border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.4rem}.num{text-align:right}</style></head>
<body>
<h1>Proposal for ${escape(context.accountName)}</h1>
<p>${context.contactName ? `Dear ${escape(context.contactName)},` : 'Hello,'}</p>
<p>Thank you for considering us for ${escape(context.opportunityName)}. Version ${proposal.version}${proposal.validUntil ? `, valid until ${escape(proposal.validUntil)}` : ''}.</p>
${need}
<table>
<thead><tr><th>Item</th><th class="num">Quantity</th><th class="num">Unit price</th><th class="num">Discount</th><th class="num">Total</th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot><tr><td colspan="4">Subtotal</td><td class="num">${amount(proposal.subtotal)}</td></tr><tr><th colspan="4">Total</th><th class="num">${amount(proposal.total)}</th></tr></tfoot>
</table>
${terms}
</body>
</html>
`;
}
