import type { Context } from 'aws-lambda';

/** What stays the same from one invocation of a function to the next: built once per function name. */
interface FunctionFacts {
  functionName: string;
  invokedFunctionArn: string;
  logGroupName: string;
}

const facts = new Map<string, FunctionFacts>();

const factsOf = (functionName: string): FunctionFacts => {
  let known = facts.get(functionName);
  if (!known) {
    known = {
      functionName,
      invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
      logGroupName: `/aws/lambda/${functionName}`,
    };
    facts.set(functionName, known);
  }
  return known;
};

function remainingTime(this: { deadline: number }): number {
  return Math.max(0, this.deadline - Date.now());
}
const nothing = () => undefined;

/**
 * The context Lambda hands a function, enough for Powertools and the batch processor. Built per invocation
 * (the local HTTP server makes one per request): the per-function strings are made once and the methods are
 * shared, so that a request costs one object and a request id. Every field is an own property, as in
 * Lambda's, so that a spread copy keeps them (the remaining time reads the copied `deadline`).
 */
export function lambdaContext(functionName: string, timeoutSeconds: number): Context {
  const known = factsOf(functionName);
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: known.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: known.invokedFunctionArn,
    memoryLimitInMB: '512',
    awsRequestId: crypto.randomUUID(),
    logGroupName: known.logGroupName,
    logStreamName: 'local',
    deadline: Date.now() + timeoutSeconds * 1000,
    getRemainingTimeInMillis: remainingTime,
    done: nothing,
    fail: nothing,
    succeed: nothing,
  } as Context;
}
