/**
 * Turns the matcher's raw signals into a calibrated confidence: the probability that the best candidate is the
 * right answer to the message. A logistic model over a few features of the search, fitted by `npm run calibrate`
 * on the knowledge base itself (held-out alternates as questions that must find their entry) and on
 * calibration/out-of-scope.txt (questions that must find nothing). See README "Matching".
 */
export const CALIBRATION_FEATURES = [
  'queryCoverage',
  'questionCoverage',
  'coverageProduct',
  'margin',
  'queryCoverageMargin',
  'questionCoverageMargin',
  'distinctiveness',
  'unknownShare',
  'length',
  'keyCoverage',
  'keyCoverageMargin',
  'learned',
  'learnedMargin',
  'learnedNone',
  'learnedAgrees',
] as const;

export interface CalibrationModel {
  readonly features: readonly string[];
  /** Standardisation applied before the weights. */
  readonly mean: readonly number[];
  readonly scale: readonly number[];
  readonly weights: readonly number[];
  readonly bias: number;
  /** How and on what the model was fitted. */
  readonly fitted: Readonly<Record<string, string | number>>;
}

export interface CandidateSignals {
  readonly score: number;
  readonly queryCoverage: number;
  readonly questionCoverage: number;
  readonly keyCoverage: number;
  /** The learned scorer's probability for this entry. */
  readonly learned: number;
}

/** The signals of one search, as the model sees them. */
export interface SearchSignals {
  readonly top: CandidateSignals;
  readonly runnerUp: CandidateSignals | null;
  readonly distinctiveness: number;
  readonly unknownShare: number;
  readonly contentWords: number;
  /** The learned scorer's probability of "none of the entries", and of its own best entry. */
  readonly learnedNone: number;
  readonly learnedBest: number;
}

export function featureVector(s: SearchSignals): number[] {
  return [
    s.top.queryCoverage,
    s.top.questionCoverage,
    s.top.queryCoverage * s.top.questionCoverage,
    s.top.score - (s.runnerUp?.score ?? 0),
    s.top.queryCoverage - (s.runnerUp?.queryCoverage ?? 0),
    s.top.questionCoverage - (s.runnerUp?.questionCoverage ?? 0),
    s.distinctiveness,
    s.unknownShare,
    Math.log(1 + s.contentWords),
    s.top.keyCoverage,
    s.top.keyCoverage - (s.runnerUp?.keyCoverage ?? 0),
    s.top.learned,
    s.top.learned - (s.runnerUp?.learned ?? 0),
    s.learnedNone,
    // 1 when the learned scorer's own best entry is the one ranked first.
    s.top.learned >= s.learnedBest ? 1 : 0,
  ];
}

export function calibratedConfidence(model: CalibrationModel, features: readonly number[]): number {
  let z = model.bias;
  features.forEach((x, i) => {
    z += model.weights[i]! * ((x - model.mean[i]!) / model.scale[i]!);
  });
  return 1 / (1 + Math.exp(-z));
}

/** Standardised L2-regularised logistic regression by gradient descent: small data, no dependency needed. */
export function fitCalibration(
  samples: ReadonlyArray<{ readonly x: readonly number[]; readonly y: 0 | 1 }>,
  fitted: Record<string, string | number>,
  l2 = 0.01,
): CalibrationModel {
  const k = CALIBRATION_FEATURES.length;
  const n = samples.length;
  const mean = Array.from({ length: k }, (_, i) => samples.reduce((s, r) => s + r.x[i]!, 0) / n);
  const scale = Array.from({ length: k }, (_, i) => {
    const variance = samples.reduce((s, r) => s + (r.x[i]! - mean[i]!) ** 2, 0) / n;
    return Math.sqrt(variance) || 1;
  });
  const xs = samples.map((r) => r.x.map((v, i) => (v - mean[i]!) / scale[i]!));
  // Balance the classes so the fit does not simply learn how rare out-of-scope questions are in the sample.
  const positives = samples.filter((r) => r.y === 1).length;
  const weightOf = (y: 0 | 1) => (y === 1 ? n / (2 * positives) : n / (2 * (n - positives)));
  const w = new Array<number>(k).fill(0);
  let b = 0;
  for (let iteration = 0; iteration < 3000; iteration++) {
    const grad = new Array<number>(k).fill(0);
    let gradB = 0;
    xs.forEach((x, j) => {
      const y = samples[j]!.y;
      const p = 1 / (1 + Math.exp(-(b + x.reduce((s, v, i) => s + v * w[i]!, 0))));
      const e = (p - y) * weightOf(y);
      x.forEach((v, i) => (grad[i]! += e * v));
      gradB += e;
    });
    for (let i = 0; i < k; i++) w[i]! -= 0.5 * (grad[i]! / n + l2 * w[i]!);
    b -= 0.5 * (gradB / n);
  }
  const round = (x: number) => Math.round(x * 10000) / 10000;
  return {
    features: [...CALIBRATION_FEATURES],
    mean: mean.map(round),
    scale: scale.map(round),
    weights: w.map(round),
    bias: round(b),
    fitted,
  };
}
