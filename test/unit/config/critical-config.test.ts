import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAppConfig } from '../../../lambdas/domain/config/schema.js';
import { slaTermsFor } from '../../../lambdas/domain/inquiry/deadline.js';

const local = () => JSON.parse(readFileSync('config/local.json', 'utf8'));

const problems = (raw: unknown) => {
  try {
    parseAppConfig(raw, 'x.json');
  } catch (error) {
    return (error as Error).message;
  }
  return '';
};

describe('the configuration of critical notices', () => {
  it("gives a priority its own warning point, the others the policy's", () => {
    const config = local();
    config.sla.defaults.high.warnAtFraction = 0.7;
    const { sla } = parseAppConfig(config, 'x.json');
    expect(slaTermsFor(sla, 'housing', 'critical').warnAtFraction).toBe(0.5);
    expect(slaTermsFor(sla, 'roads', 'high').warnAtFraction).toBe(0.7);
    expect(slaTermsFor(sla, 'housing', 'normal')).not.toHaveProperty('warnAtFraction');
    expect(sla.warnAtFraction).toBe(0.8);
  });

  it("refuses a priority's warning point outside (0, 1)", () => {
    const config = local();
    config.sla.defaults.critical.warnAtFraction = 1;
    expect(problems(config)).toMatch(/sla\.defaults\.critical\.warnAtFraction/);
  });

  it('takes duty addresses for critical notices, none by default, but not a department’s own', () => {
    const config = local();
    delete config.escalation;
    expect(parseAppConfig(config, 'x.json').escalation.criticalNotify).toEqual([]);
    config.escalation = { criticalNotify: [' duty@example.org'] };
    expect(parseAppConfig(config, 'x.json').escalation.criticalNotify).toEqual(['duty@example.org']);
    config.escalation = { criticalNotify: ['duty@example.org', 'not an address'] };
    expect(problems(config)).toMatch(
      /escalation\.criticalNotify\[1\]: "not an address" is not an e-mail address/,
    );
    // One address is one subscription to the topic, with one filter: the department's or the duty one.
    config.escalation = { criticalNotify: ['duty@example.org', 'Housing@Example.org'] };
    expect(problems(config)).toMatch(
      /escalation\.criticalNotify\[1\]: Housing@example\.org is a department's notify address too/,
    );
  });
});
