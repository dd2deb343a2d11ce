import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAppConfig } from '../../../lambdas/domain/config/schema.js';

const local = () => JSON.parse(readFileSync('config/local.json', 'utf8'));

describe('parseAppConfig', () => {
  it('accepts the shipped local configuration', () => {
    expect(parseAppConfig(local(), 'config/local.json').communities[0]?.groupId).toBe(123456789);
  });

  it('names an unknown department in a routing rule with its path', () => {
    const config = local();
    config.routing[1].department = 'nowhere';
    expect(() => parseAppConfig(config, 'x.json')).toThrow(
      /routing\[1\]\.department: unknown department "nowhere"/,
    );
  });

  it('names a bad time zone, a negative deadline and an unknown triage department together', () => {
    const config = local();
    config.communities[0].timeZone = 'Mars/Olympus';
    config.communities[0].triageDepartment = 'ghost';
    config.sla.firstResponseHours.high = -4;
    const error = (() => {
      try {
        parseAppConfig(config, 'x.json');
      } catch (caught) {
        return (caught as Error).message;
      }
    })();
    expect(error).toMatch(/communities\[0\]\.timeZone/);
    expect(error).toMatch(/communities\[0\]\.triageDepartment: unknown department "ghost"/);
    expect(error).toMatch(/sla\.firstResponseHours\.high/);
  });

  it('refuses a secret written into the configuration instead of referenced', () => {
    const config = local();
    config.communities[0].callbackSecret = 'plain-secret';
    expect(() => parseAppConfig(config, 'x.json')).toThrow(/communities\[0\]\.callbackSecret/);
  });
});
