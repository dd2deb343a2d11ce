import { describe, expect, it } from 'vitest';
import { fitBlend } from '../../../scripts/classifier/calibrate.js';
import { scores } from '../../../scripts/classifier/linear.js';
import { addLinear, fitNaiveBayes } from '../../../scripts/classifier/naive-bayes.js';

// Three terms, three categories: term 0 only in category 0's rows, term 1 in every category's, term 2 only
// in category 2's.
const rows = [
  { indices: [0, 1], values: [0.8, 0.6] },
  { indices: [0], values: [1] },
  { indices: [1], values: [1] },
  { indices: [1, 2], values: [0.6, 0.8] },
];
const labels = [0, 0, 1, 2];

describe('naive Bayes over tf-idf vectors', () => {
  const { multinomial, complement } = fitNaiveBayes(rows, labels, 3, 3, 0.01);

  it('weighs a term towards the only category it was seen in, in both forms', () => {
    for (const model of [multinomial, complement]) {
      const w = (term: number, k: number) => model.weights[term * 3 + k] ?? 0;
      expect(w(0, 0)).toBeGreaterThan(w(0, 1));
      expect(w(0, 0)).toBeGreaterThan(w(0, 2));
      expect(w(2, 2)).toBeGreaterThan(w(2, 0));
      expect(w(2, 2)).toBeGreaterThan(w(2, 1));
    }
  });

  it('centres each term over the categories, so a text changes no ranking by the term alone', () => {
    for (const model of [multinomial, complement]) {
      for (let term = 0; term < 3; term++) {
        const sum = [0, 1, 2].reduce((total, k) => total + (model.weights[term * 3 + k] ?? 0), 0);
        expect(Math.abs(sum)).toBeLessThan(1e-9);
      }
    }
  });

  it('adds to another linear model as one linear model: the sum scores as the sum of scores', () => {
    const summed = addLinear(multinomial, [complement], [0.5]);
    const x = { indices: [0, 2], values: [0.6, 0.8] };
    const expected = scores(multinomial, x).map((s, k) => s + 0.5 * (scores(complement, x)[k] ?? 0));
    scores(summed, x).forEach((s, k) => {
      expect(s).toBeCloseTo(expected[k] ?? Number.NaN, 12);
    });
  });
});

describe('fitBlend', () => {
  const truth = [0, 1, 2, 0, 1, 2, 0, 1];
  const noise = truth.map((_, i) => Float64Array.from([i % 2, (i * 7) % 3, 0]));
  const informed = truth.map((k) => Float64Array.from([0, 1, 2].map((j) => (j === k ? 1 : 0))));

  it('takes a large share of a model that knows the answers, within the bound', () => {
    const { shares, temperature } = fitBlend(noise, [informed], truth, 2);
    expect(shares[0]).toBeGreaterThan(1.5);
    expect(shares[0]).toBeLessThanOrEqual(2);
    expect(temperature).toBeGreaterThan(0);
  });

  it('takes none of a model that is always wrong', () => {
    const wrong = truth.map((k) => Float64Array.from([0, 1, 2].map((j) => (j === (k + 1) % 3 ? 1 : 0))));
    const { shares } = fitBlend(informed, [wrong], truth, 2);
    expect(shares[0]).toBeLessThan(0.01);
  });
});
