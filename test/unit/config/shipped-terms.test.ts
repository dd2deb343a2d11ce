import { describe, expect, it } from 'vitest';
import { readConfigFile } from '../../../lambdas/adapters/config.js';
import { slaTermsFor } from '../../../lambdas/domain/inquiry/deadline.js';
import { PRIORITIES } from '../../../lambdas/domain/taxonomy.js';

describe('the shipped SLA terms', () => {
  for (const file of ['config/prod.json', 'config/dev.json', 'config/local.json']) {
    it(`${file}: a category's own terms never answer later than its priority would`, () => {
      const { sla } = readConfigFile(file);
      // `safety` answers sooner than its priority's default, but a critical danger keeps critical's hour.
      expect(slaTermsFor(sla, 'safety', 'normal').firstResponseHours).toBe(2);
      expect(slaTermsFor(sla, 'safety', 'high').firstResponseHours).toBe(2);
      expect(slaTermsFor(sla, 'safety', 'critical').firstResponseHours).toBe(1);
      for (const override of sla.overrides) {
        for (const priority of PRIORITIES) {
          if (override.priority !== undefined && override.priority !== priority) continue;
          const category = override.category ?? 'housing';
          const terms = slaTermsFor(sla, category, priority);
          expect(terms.firstResponseHours).toBeLessThanOrEqual(sla.defaults[priority].firstResponseHours);
        }
      }
    });

    it(`${file}: a threat to life, health or property is counted round the clock, the rest in working hours`, () => {
      const { sla } = readConfigFile(file);
      for (const category of ['housing', 'safety'] as const) {
        expect(slaTermsFor(sla, category, 'critical')).toEqual({
          firstResponseHours: 1,
          resolutionHours: 24,
          clock: 'round_the_clock',
          // An hour's term warned at 48 minutes would leave 12 to act.
          warnAtFraction: 0.5,
        });
        expect(slaTermsFor(sla, category, 'high').clock).toBe('working_hours');
        expect(slaTermsFor(sla, category, 'normal').clock).toBe('working_hours');
      }
    });
  }
});
