import { softmaxInPlace } from '../../lambdas/domain/classifier/model.js';

/** Mean negative log-likelihood of the true classes under softmax(temperature × margins). */
function softmaxLoss(margins: Float64Array[], truth: number[], temperature: number): number {
  let loss = 0;
  margins.forEach((m, i) => {
    const p = softmaxInPlace(Float64Array.from(m), temperature);
    loss -= Math.log(Math.max(1e-12, p[truth[i] ?? 0] ?? 0));
  });
  return loss / Math.max(1, margins.length);
}

/**
 * The temperature that turns SVM margins into the best-calibrated softmax probabilities on held-out rows
 * (least log-loss), by golden-section search over log(temperature) in [1/10, 100].
 */
function fitTemperature(margins: Float64Array[], truth: number[]): number {
  const golden = (Math.sqrt(5) - 1) / 2;
  let low = Math.log(0.1);
  let high = Math.log(100);
  for (let step = 0; step < 60; step++) {
    const a = high - golden * (high - low);
    const b = low + golden * (high - low);
    if (softmaxLoss(margins, truth, Math.exp(a)) <= softmaxLoss(margins, truth, Math.exp(b))) high = b;
    else low = a;
  }
  return Math.exp((low + high) / 2);
}

/**
 * Platt scaling: the slope and shift for which sigmoid(slope × margin + shift) best fits the held-out
 * labels (least log-loss, Newton's method on two parameters, with Platt's smoothed targets).
 */
export function fitPlatt(margins: number[], positive: boolean[]): { slope: number; shift: number } {
  const positives = positive.filter(Boolean).length;
  const negatives = positive.length - positives;
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (negatives + 2);
  let slope = 1;
  let shift = 0;
  for (let iteration = 0; iteration < 100; iteration++) {
    let g1 = 0;
    let g2 = 0;
    let h11 = 1e-9;
    let h12 = 0;
    let h22 = 1e-9;
    margins.forEach((margin, i) => {
      const p = 1 / (1 + Math.exp(-(slope * margin + shift)));
      const target = positive[i] ? hi : lo;
      const d = p - target;
      const w = p * (1 - p);
      g1 += d * margin;
      g2 += d;
      h11 += w * margin * margin;
      h12 += w * margin;
      h22 += w;
    });
    const det = h11 * h22 - h12 * h12;
    if (det <= 0) break;
    const dSlope = (h22 * g1 - h12 * g2) / det;
    const dShift = (h11 * g2 - h12 * g1) / det;
    slope -= dSlope;
    shift -= dShift;
    if (Math.abs(dSlope) + Math.abs(dShift) < 1e-9) break;
  }
  return { slope, shift };
}

/**
 * How much of other linear models' margins to add to the first's, and the temperature of the sum: the
 * shares for which softmax(temperature × (first + Σ share × other)) fits the held-out rows best (least
 * log-loss), each share in [0, maxShare], by golden-section search on one share at a time (two rounds),
 * each candidate with its own best temperature.
 */
export function fitBlend(
  first: Float64Array[],
  others: Float64Array[][],
  truth: number[],
  maxShare: number,
): { shares: number[]; temperature: number } {
  const sum = (shares: number[]): Float64Array[] =>
    first.map((m, i) =>
      m.map((v, k) => others.reduce((total, other, j) => total + (shares[j] ?? 0) * (other[i]?.[k] ?? 0), v)),
    );
  const loss = (shares: number[]): number => {
    const margins = sum(shares);
    return softmaxLoss(margins, truth, fitTemperature(margins, truth));
  };
  const shares = others.map(() => 0);
  const golden = (Math.sqrt(5) - 1) / 2;
  for (let round = 0; round < 2; round++) {
    for (let j = 0; j < others.length; j++) {
      const at = (share: number): number[] => shares.map((s, i) => (i === j ? share : s));
      let low = 0;
      let high = maxShare;
      for (let step = 0; step < 20; step++) {
        const a = high - golden * (high - low);
        const b = low + golden * (high - low);
        if (loss(at(a)) <= loss(at(b))) high = b;
        else low = a;
      }
      shares[j] = (low + high) / 2;
    }
  }
  return { shares, temperature: fitTemperature(sum(shares), truth) };
}
