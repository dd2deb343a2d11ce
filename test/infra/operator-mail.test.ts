import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../../lambdas/adapters/config.js';
import { buildApp } from '../../lib/app.js';
import { StatefulStack } from '../../lib/stateful-stack.js';
import { unbundledApp } from '../support/cdk-app.js';
import { temporaryDirectory } from '../support/temp-dir.js';

// biome-ignore lint/suspicious/noExplicitAny: a parsed JSON document, changed on purpose.
type Json = Record<string, any>;

const INVITATION = {
  subject: 'Доступ к обращениям граждан',
  body: 'Здравствуйте! Ваш логин: {username}, временный пароль: {####}. При первом входе задайте свой пароль.',
};

/** The local configuration, changed, in a file of its own beside its secrets. */
function configWith(name: string, change: (config: Json) => void): string {
  const config = JSON.parse(readFileSync('config/local.json', 'utf8'));
  change(config);
  const dir = temporaryDirectory('vk-config-');
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(config));
  writeFileSync(join(dir, `${name}.secrets.json`), readFileSync('config/local.secrets.json'));
  return file;
}

const userPoolOf = (template: Template) => {
  const [pool] = Object.values(template.findResources('AWS::Cognito::UserPool'));
  return pool?.Properties as Json;
};

describe('the operators’ mail through SES', () => {
  let stateful: Template;

  /** `cdk synth` with the key set: cdk-nag on, so an unacknowledged finding would throw here. */
  beforeAll(() => {
    const file = configWith('ses', (config) => {
      config.operatorMail = {
        from: 'operators@mail.example.org',
        fromName: 'Администрация района',
        replyTo: 'support@example.org',
        sesVerifiedDomain: 'mail.example.org',
        invitation: INVITATION,
      };
    });
    const app = buildApp(unbundledApp({ stage: 'test', config: file }));
    app.synth();
    const stacks = app.node.children.filter((child): child is Stack => 'templateOptions' in child);
    stateful = Template.fromStack(stacks.find((stack) => stack.stackName.endsWith('Stateful')) as Stack);
  }, 180_000);

  it('sends from the verified identity, the sender’s Cyrillic name encoded, in the stage’s region', () => {
    stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: {
        EmailSendingAccount: 'DEVELOPER',
        From: `=?UTF-8?B?${Buffer.from('Администрация района').toString('base64')}?= <operators@mail.example.org>`,
        ReplyToEmailAddress: 'support@example.org',
        SourceArn: {
          'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':ses:eu-central-1:')])],
        },
      },
    });
    expect(JSON.stringify(userPoolOf(stateful).EmailConfiguration.SourceArn)).toContain(
      ':identity/mail.example.org',
    );
  });

  it('invites in the configured words, which hold the sign-in name and the temporary password', () => {
    stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: {
        AllowAdminCreateUserOnly: true,
        InviteMessageTemplate: { EmailSubject: INVITATION.subject, EmailMessage: INVITATION.body },
      },
    });
  });
});

describe('the operators’ mail without the key', () => {
  it('is Cognito’s own: no SES identity, no invitation of ours', () => {
    const config = readConfigFile('config/local.json');
    expect(config.operatorMail).toBeUndefined();
    const app = unbundledApp();
    const stack = new StatefulStack(app, 'Stateful', {
      stage: 'test',
      keepData: false,
      env: { region: 'eu-central-1' },
      departments: config.departments,
    });
    const pool = userPoolOf(Template.fromStack(stack));
    expect(pool.EmailConfiguration).toBeUndefined();
    expect(pool.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: true });
  });
});

describe('a bad operatorMail', () => {
  it.each([
    {
      name: 'no password in the invitation',
      mail: { from: 'operators@example.org', invitation: { ...INVITATION, body: 'Ваш логин: {username}' } },
      message: /operatorMail\.invitation\.body: the invitation must hold \{####\}/,
    },
    {
      name: 'a sender outside the verified domain',
      mail: { from: 'operators@example.com', sesVerifiedDomain: 'example.org' },
      message: /operatorMail\.from: the sender must be an address of example\.org/,
    },
    {
      name: 'a Cyrillic sender address',
      mail: { from: 'обращения@example.org' },
      message: /operatorMail\.from/,
    },
  ])('fails cdk synth ($name) with a message that names the problem', ({ mail, message }) => {
    const file = configWith('bad-mail', (config) => {
      config.operatorMail = mail;
    });
    expect(() => buildApp(unbundledApp({ stage: 'test', config: file }))).toThrow(message);
  });
});
