import { brierScore, features, type LabeledExample, predictConversion, ruleScore, type ScoringInput, trainAndEvaluate, trainNaiveBayes } from './scoring';

const base: ScoringInput = {
  source: 'OTHER',
  industry: null,
  region: null,
  email: null,
  phone: null,
  estimatedValue: null,
  status: 'NEW',
  activityCount: 0,
  lastActivityAt: null,
};
const now = new Date('2026-11-26T12:00:00Z');

describe('rule-based lead score', () => {
  it('adds up readable factors and stays within 0 to 100', () => {
    const complete = ruleScore(
      {
        ...base,
        source: 'REFERRAL',
        industry: 'Software',
        region: 'DE',
        email: 'a@b.c',
        phone: '+49 1',
        estimatedValue: { amount: '80000.00', currency: 'EUR' },
        status: 'QUALIFIED',
        activityCount: 5,
        lastActivityAt: now,
      },
      now,
    );
    expect(complete.score).toBe(100);
    expect(complete.factors.map((factor) => factor.factor)).toEqual([
      'SOURCE',
      'FIT_INDUSTRY',
      'FIT_REGION',
      'COMPLETENESS_EMAIL',
      'COMPLETENESS_PHONE',
      'COMPLETENESS_VALUE',
      'ENGAGEMENT',
      'ENGAGEMENT_RECENT',
      'QUALIFIED',
    ]);
    expect(ruleScore({ ...base, status: 'DISQUALIFIED' }, now).score).toBe(0);
    expect(ruleScore(base, now)).toMatchObject({ score: 5, method: 'RULES' });
  });

  it('ranks a referral above a social-media lead, all else equal', () => {
    expect(ruleScore({ ...base, source: 'REFERRAL' }, now).score).toBeGreaterThan(ruleScore({ ...base, source: 'SOCIAL_MEDIA' }, now).score);
  });
});

// Synthetic history where referrals and engaged leads convert far more often.
function history(count: number): LabeledExample[] {
  const examples: LabeledExample[] = [];
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let index = 0; index < count; index += 1) {
    const referral = random() < 0.4;
    const engaged = random() < 0.5;
    const p = 0.05 + (referral ? 0.45 : 0) + (engaged ? 0.3 : 0);
    const input: ScoringInput = { ...base, source: referral ? 'REFERRAL' : 'SOCIAL_MEDIA', activityCount: engaged ? 4 : 0 };
    examples.push({ id: `lead-${index}`, features: features(input), converted: random() < p });
  }
  return examples;
}

describe('learned model (naive Bayes by field value)', () => {
  it('learns which values raise the odds of converting', () => {
    const model = trainNaiveBayes(history(2_000));
    const good = predictConversion(model, features({ ...base, source: 'REFERRAL', activityCount: 4 }));
    const poor = predictConversion(model, features({ ...base, source: 'SOCIAL_MEDIA' }));
    expect(good).toBeGreaterThan(0.6);
    expect(poor).toBeLessThan(0.15);
  });

  it('is better calibrated than the base rate on held-out leads (Brier score)', () => {
    const evaluation = trainAndEvaluate(history(2_000))?.evaluation;
    expect(evaluation?.holdoutSize).toBeGreaterThan(300);
    expect(evaluation?.brierScore).toBeLessThan(evaluation?.baselineBrierScore ?? 0);
  });

  it('waits for enough history before it scores', () => {
    expect(trainAndEvaluate(history(30))).toBeNull();
  });

  it('computes the Brier score as the mean squared error of probabilities', () => {
    expect(
      brierScore([
        { probability: 0.8, converted: true },
        { probability: 0.3, converted: false },
      ]),
    ).toBeCloseTo((0.04 + 0.09) / 2);
  });
});
