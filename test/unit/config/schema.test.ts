import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { departmentIdSchema } from '../../../lambdas/domain/config/schema/department.js';
import {
  DEAD_LETTER_DAYS,
  DEFAULT_CALLBACK_SILENCE_HOURS,
  MAX_CALLBACK_SILENCE_HOURS,
  parseAppConfig,
  QUEUE_DAYS,
} from '../../../lambdas/domain/config/schema.js';
import { DEAD_LETTER_RETENTION_DAYS, QUEUE_RETENTION_DAYS } from '../../../lib/resources.js';

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

  it('refuses a rule that can never match, after one that takes every inquiry it would', () => {
    const config = local();
    // A community's own housing rule put after the housing rule for every community: dead.
    config.routing.push({ community: 123456789, category: 'housing', department: 'roads' });
    expect(() => parseAppConfig(config, 'x.json')).toThrow(
      new RegExp(`routing\\[${config.routing.length - 1}\\]: can never match: routing\\[1\\] comes first`),
    );
    // First, it is the narrower rule, and both are kept; a rule with patterns shadows nothing.
    const ordered = local();
    ordered.routing.unshift({ community: 123456789, category: 'housing', department: 'roads' });
    ordered.routing.push({ category: 'roads', department: 'housing' });
    expect(() => parseAppConfig(ordered, 'x.json')).toThrow(/routing\[6\]: can never match: routing\[4\]/);
    ordered.routing.pop();
    expect(parseAppConfig(ordered, 'x.json').routing[0]?.department).toBe('roads');
  });

  it('names a bad time zone, a negative deadline and an unknown triage department together', () => {
    const config = local();
    config.communities[0].calendar.timeZone = 'Mars/Olympus';
    config.communities[0].triageDepartment = 'ghost';
    config.sla.defaults.high.firstResponseHours = -4;
    const error = (() => {
      try {
        parseAppConfig(config, 'x.json');
      } catch (caught) {
        return (caught as Error).message;
      }
    })();
    expect(error).toMatch(/communities\[0\]\.calendar\.timeZone: "Mars\/Olympus" is not an IANA time zone/);
    expect(error).toMatch(/sla\.defaults\.high\.firstResponseHours: .*>0/);
  });

  it("refuses a department's or community's name that is blank or too long to put in an acknowledgement, and trims one", () => {
    const config = local();
    config.departments[0].name = '   ';
    config.departments[1].publicName = 'Отдел '.repeat(40);
    config.communities[0].name = 'А'.repeat(201);
    const refused = (() => {
      try {
        parseAppConfig(config, 'x.json');
      } catch (caught) {
        return (caught as Error).message;
      }
    })();
    expect(refused).toContain('departments[0].name: empty: give the name people know it by');
    expect(refused).toContain('departments[1].publicName: longer than 200 characters');
    expect(refused).toContain('communities[0].name: longer than 200 characters');
    const fits = local();
    const ministry = 'Министерство территориального развития Пермского края '.repeat(3).trim();
    fits.departments[0].name = `  ${ministry}\n`;
    fits.communities[0].name = 'А'.repeat(200);
    const parsed = parseAppConfig(fits, 'x.json');
    expect(parsed.departments[0]?.name).toBe(ministry);
    expect(parsed.communities[0]?.name).toHaveLength(200);
  });

  it("refuses a department's id longer than the operator API's paths take", () => {
    const config = local();
    config.departments[0].id = `d${'-'.repeat(64)}`;
    expect(() => parseAppConfig(config, 'x.json')).toThrow('departments[0].id: longer than 64 characters');
    expect(departmentIdSchema.parse(`d${'x'.repeat(63)}`)).toHaveLength(64);
  });

  it('refuses a secret written into the configuration instead of referenced', () => {
    const config = local();
    config.communities[0].callbackSecret = 'plain-secret';
    expect(() => parseAppConfig(config, 'x.json')).toThrow(/communities\[0\]\.callbackSecret/);
  });

  const problems = (config: unknown) => {
    try {
      parseAppConfig(config, 'x.json');
    } catch (caught) {
      return (caught as Error).message;
    }
    return '';
  };

  it('names an overlapping calendar: a community holiday that is a national moved working day', () => {
    const config = local();
    config.communities[0].calendar.holidays = [{ date: '2027-02-20', note: 'regional' }];
    expect(problems(config)).toMatch(
      /communities\[0\]\.calendar\.workingDays\[\d+\]\.date: overlapping calendar: 2027-02-20 is both a holiday and a moved working day/,
    );
  });

  it('names overlapping working hours and an unknown production calendar', () => {
    const config = local();
    config.communities[0].calendar.weeklyHours.mon = ['09:00-13:00', '12:00-18:00'];
    config.communities[0].calendar.calendar = 'mars-calendar';
    const message = problems(config);
    expect(message).toMatch(
      /communities\[0\]\.calendar\.weeklyHours\.mon: intervals 09:00-13:00 and 12:00-18:00 overlap/,
    );
  });

  it('names a repeated department id and a repeated group id with the entry each repeats', () => {
    const config = local();
    config.departments.push({ ...config.departments[1], name: 'Копия' });
    config.communities.push({ ...config.communities[0], name: 'Копия' });
    const message = problems(config);
    const last = config.departments.length - 1;
    expect(message).toContain(
      `departments[${last}].id: "${config.departments[1].id}" is already departments[1]`,
    );
    expect(message).toContain(
      `communities[1].groupId: ${config.communities[0].groupId} is already communities[0]`,
    );
  });

  it("refuses a community that names another's secret, code or community token, or one parameter twice", () => {
    const config = local();
    // A copy of the first community with only its group id changed.
    config.communities.push({ ...config.communities[0], groupId: 222333444 });
    const message = problems(config);
    for (const field of [
      'callbackSecret',
      'previousCallbackSecret',
      'confirmationCode',
      'tokens.community',
    ]) {
      const parameter = field.split('.').reduce((value, key) => value[key], config.communities[0]).parameter;
      expect(message).toContain(`communities[1].${field}: "${parameter}" is already communities[0].${field}`);
    }

    const one = local();
    one.communities[0].previousCallbackSecret = { ...one.communities[0].callbackSecret };
    expect(problems(one)).toContain(
      `communities[0].previousCallbackSecret: "${one.communities[0].callbackSecret.parameter}" is already communities[0].callbackSecret`,
    );
  });

  it("lets communities share one admin's user token, and nothing else share its parameter", () => {
    const config = local();
    const user = { parameter: '/vk-inquiries/local/admins/ivanova/user-token' };
    config.communities[0].tokens.user = user;
    const second = structuredClone(config.communities[0]);
    second.groupId = 222333444;
    for (const key of ['callbackSecret', 'previousCallbackSecret', 'confirmationCode'])
      second[key] = { parameter: `/vk-inquiries/local/communities/222333444/${key}` };
    second.tokens = { community: { parameter: '/vk-inquiries/local/communities/222333444/token' }, user };
    config.communities.push(second);
    expect(problems(config)).toBe('');

    second.tokens.community = user;
    expect(problems(config)).toContain(
      `communities[1].tokens.community: "${user.parameter}" is already communities[0].tokens.user`,
    );
  });

  it('says a community without a triage department needs one, and what it is for', () => {
    const config = local();
    delete config.communities[0].triageDepartment;
    expect(problems(config)).toMatch(
      /communities\[0\]\.triageDepartment: required: the id of the department \(one of departments\[\]\) that gets the inquiries no routing rule matches/,
    );
  });

  it('names a negative resolution term, an empty override and a bad warning fraction', () => {
    const config = local();
    config.sla.defaults.normal.resolutionHours = -56;
    config.sla.overrides = [{ category: 'roads' }];
    config.sla.warnAtFraction = 1.5;
    const message = problems(config);
    expect(message).toMatch(/sla\.defaults\.normal\.resolutionHours/);
    expect(message).toMatch(
      /sla\.overrides\[0\]: an override must set at least one of firstResponseHours, resolutionHours, clock/,
    );
    expect(message).toMatch(/sla\.warnAtFraction/);
  });

  it('names a term counted on a clock it does not know', () => {
    const config = local();
    config.sla.defaults.critical.clock = '24/7';
    config.sla.overrides = [{ category: 'safety', clock: 'calendar' }];
    const message = problems(config);
    expect(message).toMatch(
      /sla\.defaults\.critical\.clock: clock must be "working_hours" or "round_the_clock"/,
    );
    expect(message).toMatch(/sla\.overrides\[0\]\.clock: clock must be "working_hours" or "round_the_clock"/);
  });

  it('counts terms in working hours unless they say round the clock, an override changing only the clock', () => {
    const config = local();
    config.sla.defaults.normal.clock = undefined;
    config.sla.overrides = [{ category: 'safety', priority: 'high', clock: 'round_the_clock' }];
    const { sla } = parseAppConfig(config, 'x.json');
    expect(sla.defaults.normal.clock).toBe('working_hours');
    expect(sla.overrides[0]).toEqual({ category: 'safety', priority: 'high', clock: 'round_the_clock' });
  });

  it('names a routing pattern that is not a valid regular expression, and an unknown priority', () => {
    const config = local();
    config.routing[0].patterns = ['ул. (Ленина'];
    config.routing[1].priority = 'urgent';
    const message = problems(config);
    expect(message).toMatch(/routing\[0\]\.patterns\[0\]: "ул\. \(Ленина" is not a valid pattern/);
    expect(message).toMatch(/routing\[1\]\.priority/);
  });

  it("names a department's notify entry that is no e-mail address, and a department with none", () => {
    const config = local();
    config.departments[2].notify = ['roads-head@admin-perm'];
    config.departments[0].notify = [];
    const error = (() => {
      try {
        parseAppConfig(config, 'x.json');
      } catch (caught) {
        return (caught as Error).message;
      }
    })();
    expect(error).toMatch(
      /departments\[2\]\.notify\[0\]: department "roads": "roads-head@admin-perm" is not an e-mail address/,
    );
    expect(error).toMatch(/departments\[0\]\.notify: department "triage" names no e-mail address/);
    delete config.departments[0].notify;
    config.departments[2].notify = ['roads@example.org'];
    expect(() => parseAppConfig(config, 'x.json')).toThrow(/departments\[0\]\.notify: department "triage"/);
  });

  it('trims the spaces around a notify address, as a copied address often has them', () => {
    const config = local();
    config.departments[1].notify = [' housing@example.org '];
    expect(parseAppConfig(config, 'x.json').departments[1]?.notify).toEqual(['housing@example.org']);
  });

  it('takes the .рф addresses of public bodies, in Cyrillic or in punycode, and subscribes them in punycode', () => {
    const config = local();
    config.departments[1].notify = ['priemnaya@администрация.рф', 'pr@xn--80aalqabyj2ajl4c8g.xn--p1ai'];
    config.alarms = { notify: ['duty@цур.рф'] };
    const parsed = parseAppConfig(config, 'x.json');
    expect(parsed.departments[1]?.notify).toEqual([
      'priemnaya@xn--80aalqabyj2ajl4c8g.xn--p1ai',
      'pr@xn--80aalqabyj2ajl4c8g.xn--p1ai',
    ]);
    expect(parsed.alarms.notify).toEqual(['duty@xn--p1afi.xn--p1ai']);
    config.alarms = { notify: ['duty@цур'] };
    expect(() => parseAppConfig(config, 'x.json')).toThrow(
      /alarms\.notify\[0\]: "duty@цур" is not an e-mail address/,
    );
  });

  it('gives the hours of a silent VK callback a default, which a stage may change or turn off', () => {
    const config = local();
    delete config.alarms;
    expect(parseAppConfig(config, 'x.json').alarms).toEqual({
      notify: [],
      callbackSilenceHours: DEFAULT_CALLBACK_SILENCE_HOURS,
    });
    config.alarms = { notify: [] };
    expect(parseAppConfig(config, 'x.json').alarms.callbackSilenceHours).toBe(DEFAULT_CALLBACK_SILENCE_HOURS);
    config.alarms = { callbackSilenceHours: false };
    expect(parseAppConfig(config, 'x.json').alarms.callbackSilenceHours).toBe(false);
    config.alarms = { callbackSilenceHours: 12 };
    expect(parseAppConfig(config, 'x.json').alarms.callbackSilenceHours).toBe(12);
    // CloudWatch looks at a week of hourly periods at most; no hour, or part of one, is no setting.
    for (const hours of [0, 1.5, MAX_CALLBACK_SILENCE_HOURS + 1, true]) {
      config.alarms = { callbackSilenceHours: hours };
      expect(() => parseAppConfig(config, 'x.json'), String(hours)).toThrow(/alarms\.callbackSilenceHours/);
    }
  });

  it('gives the threading window a default', () => {
    const config = local();
    delete config.threading;
    expect(parseAppConfig(config, 'x.json').threading).toEqual({
      reopenClosedWithinHours: 72,
      newMatterOpensInquiry: true,
    });
    // A window of its own still lets a new matter open an inquiry, unless turned off.
    config.threading = { reopenClosedWithinHours: 48 };
    expect(parseAppConfig(config, 'x.json').threading.newMatterOpensInquiry).toBe(true);
    config.threading = { reopenClosedWithinHours: 48, newMatterOpensInquiry: false };
    expect(parseAppConfig(config, 'x.json').threading.newMatterOpensInquiry).toBe(false);
  });

  it('keeps finished inquiries 1826 days unless told otherwise, never less than a dead letter and the reopening window', () => {
    const config = local();
    expect(parseAppConfig(config, 'x.json').retention).toEqual({ closedInquiryDays: 1826 });
    delete config.retention;
    expect(parseAppConfig(config, 'x.json').retention).toEqual({ closedInquiryDays: 1826 });
    // 14 days in a dead-letter queue plus 72 hours' window: 17 days are too few, 18 enough.
    config.retention = { closedInquiryDays: 17 };
    expect(problems(config)).toMatch(
      /retention\.closedInquiryDays: must be longer than the 14 days a dead-letter queue keeps a message plus threading\.reopenClosedWithinHours \(72 hours\)/,
    );
    config.retention = { closedInquiryDays: 18 };
    expect(parseAppConfig(config, 'x.json').retention).toEqual({ closedInquiryDays: 18 });
    expect(DEAD_LETTER_DAYS).toBe(DEAD_LETTER_RETENTION_DAYS);
    expect(QUEUE_DAYS).toBe(QUEUE_RETENTION_DAYS);
    config.retention = { closedInquiryDays: 0.5 };
    expect(problems(config)).toMatch(/retention\.closedInquiryDays: .*expected int/);
    config.retention = { closedInquiryDays: 30, keepForever: true };
    expect(problems(config)).toMatch(/retention: .*keepForever/);
  });

  it("takes the operators' console address with the inquiry's id in it, and refuses one without", () => {
    const config = local();
    config.operatorConsoleUrl = 'https://console.example.org/inquiries/{inquiryId}';
    expect(parseAppConfig(config, 'x.json').operatorConsoleUrl).toBe(config.operatorConsoleUrl);
    config.operatorConsoleUrl = 'https://console.example.org/inquiries/';
    expect(problems(config)).toMatch(/operatorConsoleUrl: must contain \{inquiryId\}/);
    config.operatorConsoleUrl = 'javascript:alert({inquiryId})';
    expect(problems(config)).toMatch(/operatorConsoleUrl: an http\(s\) address/);
    config.operatorConsoleUrl = 'console/{inquiryId}';
    expect(problems(config)).toMatch(/operatorConsoleUrl: an http\(s\) address/);
  });

  describe('operatorApi.allowedOrigins', () => {
    const withOrigins = (allowedOrigins: unknown) => ({ ...local(), operatorApi: { allowedOrigins } });

    it('is empty when not given: no page of another origin may call the operator API', () => {
      const config = local();
      delete config.operatorApi;
      expect(parseAppConfig(config, 'x.json').operatorApi.allowedOrigins).toEqual([]);
    });

    it('accepts exact https origins, and http ones of the developer’s own machine', () => {
      const origins = [
        'https://console.example.gov.ru',
        'https://console.example.gov.ru:8443',
        'http://localhost:5173',
        'http://127.0.0.1:5173',
        'http://[::1]:5173',
      ];
      expect(parseAppConfig(withOrigins(origins), 'x.json').operatorApi.allowedOrigins).toEqual(origins);
    });

    it.each([
      ['*', /no wildcard/],
      ['https://*.example.gov.ru', /no wildcard/],
      ['http://console.example.gov.ru', /https only/],
      ['console.example.gov.ru', /not an origin/],
      ['https://console.example.gov.ru/', /as a browser sends it: "https:\/\/console\.example\.gov\.ru"/],
      ['https://console.example.gov.ru/app', /as a browser sends it/],
      ['https://Console.Example.gov.ru', /as a browser sends it: "https:\/\/console\.example\.gov\.ru"/],
      ['https://console.example.gov.ru:443', /as a browser sends it: "https:\/\/console\.example\.gov\.ru"/],
      ['https://консоль.рф', /as a browser sends it: "https:\/\/xn--/],
      ['null', /not an origin/],
    ])('refuses %s, naming its path and how to write it', (origin, reason) => {
      const message = problems(withOrigins(['https://ok.example.gov.ru', origin]));
      expect(message).toMatch(/operatorApi\.allowedOrigins\[1\]/);
      expect(message).toMatch(reason);
    });

    it('refuses an origin listed twice', () => {
      expect(problems(withOrigins(['https://a.example.gov.ru', 'https://a.example.gov.ru']))).toMatch(
        /operatorApi\.allowedOrigins: an origin is listed twice/,
      );
    });
  });
});

describe('disposable', () => {
  const withDisposable = (value: unknown) => ({ ...local(), disposable: value });
  const problem = (config: unknown) => {
    try {
      parseAppConfig(config, 'x.json');
    } catch (caught) {
      return (caught as Error).message;
    }
    return '';
  };

  it('is false when omitted: a stage keeps its data unless its configuration says otherwise', () => {
    const { disposable: _, ...config } = local();
    expect(parseAppConfig(config, 'x.json').disposable).toBe(false);
  });

  it.each(['yes', 'true', 1, null])('refuses %j, saying what it means', (value) => {
    expect(problem(withDisposable(value))).toMatch(
      /disposable: true or false: true only for a stage whose data may be lost \(dev, test\); omit it for one that keeps data/,
    );
  });

  it('is declared by the shipped local and dev configurations, and not by prod', () => {
    const declared = (file: string) =>
      parseAppConfig(JSON.parse(readFileSync(file, 'utf8')), file).disposable;
    expect(declared('config/local.json')).toBe(true);
    expect(declared('config/dev.json')).toBe(true);
    expect(declared('config/prod.json')).toBe(false);
  });
});
