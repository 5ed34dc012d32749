import { createHash } from 'node:crypto';

import { Dec, type LeadSource, type LeadStatus, type Money } from '@pipeline/domain';

export interface ScoreFactor {
  factor: string;
  impact: number;
  detail: string;
}

export interface LeadScore {
  value: number;
  computed: number;
  override: number | null;
  overrideReason: string | null;
  method: 'RULES' | 'MODEL';
  modelVersion: number | null;
  factors: ScoreFactor[];
}

// What scoring looks at; the same features feed the rules and the learned model.
export interface ScoringInput {
  source: LeadSource;
  industry: string | null;
  region: string | null;
  email: string | null;
  phone: string | null;
  estimatedValue: Money | null;
  status: LeadStatus;
  activityCount: number;
  lastActivityAt: Date | null;
}

export interface ScoreResult {
  score: number;
  method: 'RULES' | 'MODEL';
  modelVersion: number | null;
  factors: ScoreFactor[];
}

const SOURCE_POINTS: Record<LeadSource, number> = {
  REFERRAL: 30,
  INBOUND: 25,
  EVENT: 22,
  MARKETING_CAMPAIGN: 15,
  SOCIAL_MEDIA: 10,
  OTHER: 5,
};

const clamp = (value: number) => Math.max(0, Math.min(100, Math.round(value)));

// Transparent rules: source, fit, completeness, engagement and qualification, each with its points.
export function ruleScore(input: ScoringInput, now: Date): ScoreResult {
  const factors: ScoreFactor[] = [{ factor: 'SOURCE', impact: SOURCE_POINTS[input.source], detail: `Source ${input.source}` }];
  if (input.industry) factors.push({ factor: 'FIT_INDUSTRY', impact: 5, detail: `Industry known (${input.industry})` });
  if (input.region) factors.push({ factor: 'FIT_REGION', impact: 5, detail: `Region known (${input.region})` });
  if (input.email) factors.push({ factor: 'COMPLETENESS_EMAIL', impact: 5, detail: 'Email on file' });
  if (input.phone) factors.push({ factor: 'COMPLETENESS_PHONE', impact: 5, detail: 'Phone on file' });
  if (input.estimatedValue) {
    const large = new Dec(input.estimatedValue.amount).greaterThanOrEqualTo(50_000);
    factors.push({
      factor: 'COMPLETENESS_VALUE',
      impact: large ? 15 : 10,
      detail: `Estimated value ${input.estimatedValue.amount} ${input.estimatedValue.currency}${large ? ' (large deal)' : ''}`,
    });
  }
  if (input.activityCount > 0) {
    const points = Math.min(3, input.activityCount) * 5;
    factors.push({ factor: 'ENGAGEMENT', impact: points, detail: `${input.activityCount} logged activit${input.activityCount === 1 ? 'y' : 'ies'}` });
  }
  if (input.lastActivityAt && now.getTime() - input.lastActivityAt.getTime() <= 7 * 86_400_000) {
    factors.push({ factor: 'ENGAGEMENT_RECENT', impact: 5, detail: 'Activity in the last 7 days' });
  }
  if (input.status === 'QUALIFIED' || input.status === 'CONVERTED') factors.push({ factor: 'QUALIFIED', impact: 20, detail: 'Met every BANT criterion' });
  if (input.status === 'DISQUALIFIED') factors.push({ factor: 'DISQUALIFIED', impact: -25, detail: 'Failed BANT qualification' });
  return { score: clamp(factors.reduce((sum, factor) => sum + factor.impact, 0)), method: 'RULES', modelVersion: null, factors };
}

// ---------------------------------------------------------------- learned model (naive Bayes by field value, as Odoo does)

export type FeatureVector = Record<string, string>;

export function features(input: ScoringInput): FeatureVector {
  const amount = input.estimatedValue ? new Dec(input.estimatedValue.amount) : null;
  const valueBand = !amount ? 'none' : amount.lessThan(10_000) ? '<10k' : amount.lessThan(50_000) ? '10k-50k' : amount.lessThan(250_000) ? '50k-250k' : '250k+';
  return {
    source: input.source,
    industry: input.industry?.toLowerCase() ?? 'unknown',
    region: input.region?.toLowerCase() ?? 'unknown',
    email: input.email ? 'yes' : 'no',
    phone: input.phone ? 'yes' : 'no',
    value: valueBand,
    engagement: input.activityCount === 0 ? '0' : input.activityCount < 3 ? '1-2' : '3+',
  };
}

export interface NaiveBayesModel {
  positives: number;
  negatives: number;
  // feature -> value -> [count among converted, count among lost]
  counts: Record<string, Record<string, [number, number]>>;
}

export interface LabeledExample {
  id: string;
  features: FeatureVector;
  converted: boolean;
}

export function trainNaiveBayes(examples: LabeledExample[]): NaiveBayesModel {
  const model: NaiveBayesModel = { positives: 0, negatives: 0, counts: {} };
  for (const example of examples) {
    if (example.converted) model.positives += 1;
    else model.negatives += 1;
    for (const [feature, value] of Object.entries(example.features)) {
      const values = (model.counts[feature] ??= {});
      const pair = (values[value] ??= [0, 0]);
      pair[example.converted ? 0 : 1] += 1;
    }
  }
  return model;
}

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

interface Contribution {
  feature: string;
  value: string;
  logOdds: number;
}

// Laplace smoothing keeps unseen values neutral instead of certain.
function contributions(model: NaiveBayesModel, vector: FeatureVector): { prior: number; parts: Contribution[] } {
  const prior = logit((model.positives + 1) / (model.positives + model.negatives + 2));
  const parts: Contribution[] = [];
  for (const [feature, value] of Object.entries(vector)) {
    const values = model.counts[feature] ?? {};
    const distinct = Object.keys(values).length + 1;
    const [positive, negative] = values[value] ?? [0, 0];
    const pGivenPositive = (positive + 1) / (model.positives + distinct);
    const pGivenNegative = (negative + 1) / (model.negatives + distinct);
    parts.push({ feature, value, logOdds: Math.log(pGivenPositive / pGivenNegative) });
  }
  return { prior, parts };
}

export function predictConversion(model: NaiveBayesModel, vector: FeatureVector): number {
  const { prior, parts } = contributions(model, vector);
  return sigmoid(prior + parts.reduce((sum, part) => sum + part.logOdds, 0));
}

export function modelScore(model: NaiveBayesModel, version: number, input: ScoringInput): ScoreResult {
  const vector = features(input);
  const { prior, parts } = contributions(model, vector);
  const probability = sigmoid(prior + parts.reduce((sum, part) => sum + part.logOdds, 0));
  const base = sigmoid(prior);
  const factors: ScoreFactor[] = [{ factor: 'BASE_RATE', impact: Math.round(base * 100), detail: `${Math.round(base * 100)}% of past leads converted` }];
  for (const part of [...parts].sort((a, b) => Math.abs(b.logOdds) - Math.abs(a.logOdds))) {
    const impact = Math.round((sigmoid(prior + part.logOdds) - base) * 100);
    if (impact === 0) continue;
    const times = Math.exp(part.logOdds);
    factors.push({
      factor: `MODEL_${part.feature.toUpperCase()}`,
      impact,
      detail: `${part.feature} = ${part.value}: ${times >= 1 ? `${times.toFixed(1)}x as likely` : `${(1 / times).toFixed(1)}x less likely`} to convert`,
    });
  }
  return { score: clamp(probability * 100), method: 'MODEL', modelVersion: version, factors };
}

export interface ModelEvaluation {
  trainingSize: number;
  holdoutSize: number;
  brierScore: number | null;
  baselineBrierScore: number | null;
}

// A fixed split by id hash keeps the held-out set the same on every retrain of the same data.
export const isHoldout = (id: string): boolean => createHash('sha256').update(id).digest()[0] % 5 === 0;

export function brierScore(predictions: Array<{ probability: number; converted: boolean }>): number | null {
  if (predictions.length === 0) return null;
  return predictions.reduce((sum, { probability, converted }) => sum + (probability - (converted ? 1 : 0)) ** 2, 0) / predictions.length;
}

export const MINIMUM_TRAINING_EXAMPLES = 40;
export const MINIMUM_PER_CLASS = 10;

export function trainAndEvaluate(examples: LabeledExample[]): { model: NaiveBayesModel; evaluation: ModelEvaluation } | null {
  const training = examples.filter((example) => !isHoldout(example.id));
  const holdout = examples.filter((example) => isHoldout(example.id));
  const positives = training.filter((example) => example.converted).length;
  if (training.length < MINIMUM_TRAINING_EXAMPLES || positives < MINIMUM_PER_CLASS || training.length - positives < MINIMUM_PER_CLASS) return null;
  const model = trainNaiveBayes(training);
  const baseRate = positives / training.length;
  return {
    model,
    evaluation: {
      trainingSize: training.length,
      holdoutSize: holdout.length,
      brierScore: brierScore(holdout.map((example) => ({ probability: predictConversion(model, example.features), converted: example.converted }))),
      baselineBrierScore: brierScore(holdout.map((example) => ({ probability: baseRate, converted: example.converted }))),
    },
  };
}

export interface ScoringModelSummary {
  version: number;
  trainedAt: Date;
  trainingSize: number;
  holdoutSize: number;
  brierScore: number | null;
  baselineBrierScore: number | null;
  active: boolean;
}

export interface ActiveModel {
  version: number;
  model: NaiveBayesModel;
}

// The model scores once it exists; until then the rules do.
export function scoreLead(input: ScoringInput, model: ActiveModel | null, now: Date): ScoreResult {
  return model ? modelScore(model.model, model.version, input) : ruleScore(input, now);
}
