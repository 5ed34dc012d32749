import { type BantAnswers, type QualificationCriteria, unmetBantCriteria } from './qualification';

const criteria: QualificationCriteria = {
  version: 1,
  minimumBudget: null,
  maxPurchaseHorizonDays: 90,
  requireDecisionMaker: true,
  requireConfirmedNeed: true,
  createdAt: new Date(),
  createdBy: null,
};
const answers: BantAnswers = { budget: null, hasBudget: true, isDecisionMaker: true, need: 'CRM', needConfirmed: true, expectedPurchaseDate: '2027-01-15' };
const today = '2026-11-26';

describe('BANT qualification', () => {
  it('qualifies when every criterion holds', () => {
    expect(unmetBantCriteria(answers, criteria, today)).toEqual([]);
  });

  it.each([
    ['no budget', { hasBudget: false }, ['BUDGET']],
    ['not the decision maker', { isDecisionMaker: false }, ['AUTHORITY']],
    ['an unconfirmed need', { needConfirmed: false }, ['NEED']],
    ['no purchase date', { expectedPurchaseDate: null }, ['TIMELINE']],
    ['a purchase date beyond the horizon', { expectedPurchaseDate: '2027-03-01' }, ['TIMELINE']],
    ['a purchase date in the past', { expectedPurchaseDate: '2026-11-25' }, ['TIMELINE']],
    [
      'everything missing',
      { hasBudget: false, isDecisionMaker: false, needConfirmed: false, expectedPurchaseDate: null },
      ['BUDGET', 'AUTHORITY', 'NEED', 'TIMELINE'],
    ],
  ])('lists the unmet keys for %s', (_label, change, unmet) => {
    expect(unmetBantCriteria({ ...answers, ...change }, criteria, today)).toEqual(unmet);
  });

  it('compares budgets against a configured minimum in the same currency only', () => {
    const strict = { ...criteria, minimumBudget: { amount: '10000.00', currency: 'EUR' } };
    expect(unmetBantCriteria({ ...answers, budget: { amount: '10000.00', currency: 'EUR' } }, strict, today)).toEqual([]);
    expect(unmetBantCriteria({ ...answers, budget: { amount: '9999.99', currency: 'EUR' } }, strict, today)).toEqual(['BUDGET']);
    expect(unmetBantCriteria({ ...answers, budget: { amount: '50000.00', currency: 'USD' } }, strict, today)).toEqual(['BUDGET']);
  });

  it('drops AUTHORITY and NEED when the criteria do not require them', () => {
    const lenient = { ...criteria, requireDecisionMaker: false, requireConfirmedNeed: false };
    expect(unmetBantCriteria({ ...answers, isDecisionMaker: false, needConfirmed: false }, lenient, today)).toEqual([]);
  });
});
