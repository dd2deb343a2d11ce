import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app.js';
import { HouseFunction } from '../../lib/constructs/house-function.js';
import { unbundledApp } from '../support/cdk-app.js';

/**
 * A function whose code can send BatchGetItem must be allowed it. The repository's and the outbox's reads go
 * through one gatherer that asks reads started in the same turn in one BatchGetItem (and a lone one in
 * GetItem: lambdas/adapters/dynamo-batch-get.ts), so a role with GetItem alone works until two reads meet,
 * and then fails. Whether the code can send it is read from the function's bundle, tree-shaken as CDK builds
 * it: the SDK's BatchGetItem command is in it or not.
 */
const BATCH_GET_COMMAND = /@aws-sdk\/client-dynamodb\/dist-es\/commands\/BatchGetItemCommand\.js$/;

let functions: { id: string; entry: string; actions: string[] }[];

beforeAll(() => {
  const app = buildApp(unbundledApp({ stage: 'test', config: 'config/local.json' }));
  app.synth();
  const stateless = app.node.children.find(
    (child): child is Stack => 'templateOptions' in child && (child as Stack).stackName.endsWith('Stateless'),
  ) as Stack;
  const template = Template.fromStack(stateless);
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  functions = stateless.node
    .findAll()
    .filter((construct): construct is HouseFunction => construct instanceof HouseFunction)
    .map((house) => {
      const role = stateless.resolve(house.function.role?.roleName);
      const actions = policies
        .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([role]))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[])
        .flatMap((statement) => [statement.Action].flat());
      return { id: house.node.id, entry: house.entry, actions };
    });
}, 120_000);

/** Whether the bundle of `entry`, built as HouseFunction builds it, holds the BatchGetItem command. */
async function sendsBatchGet(entry: string): Promise<boolean> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    mainFields: ['module', 'main'],
    outfile: 'handler.mjs',
    logLevel: 'silent',
  });
  return Object.values(result.metafile.outputs).some((output) =>
    Object.entries(output.inputs).some(
      ([file, input]) => BATCH_GET_COMMAND.test(file) && input.bytesInOutput > 0,
    ),
  );
}

describe('batched reads', () => {
  it('allow dynamodb:BatchGetItem to every function whose code can send it, and to no other', async () => {
    expect(functions).toHaveLength(7);
    const found = await Promise.all(
      functions.map(async ({ id, entry, actions }) => ({
        id,
        sends: await sendsBatchGet(entry),
        allowed: actions.includes('dynamodb:BatchGetItem'),
      })),
    );
    expect(found.filter(({ sends, allowed }) => sends !== allowed)).toEqual([]);
    // The gatherer's readers, by name: a bundle that no longer held the command would not pass unseen.
    expect(
      found
        .filter(({ sends }) => sends)
        .map(({ id }) => id)
        .sort(),
    ).toEqual(['Escalator', 'OperatorApi', 'Responder', 'Router']);
  }, 120_000);
});
