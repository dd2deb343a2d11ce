/**
 * Stands in for the AWS Parameters and Secrets Lambda Extension (which runs only inside Lambda) while cold
 * starts are timed: serves the values of a secrets file as the extension answers GetParameter on 127.0.0.1,
 * in a process of its own (the benchmark's process waits on each probe without serving anything). Started
 * by `startSecretsExtensionStandIn`; tells its port over IPC.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-integration-lambda-extensions.html
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const values = JSON.parse(readFileSync(process.env.STAND_IN_SECRETS_FILE ?? '', 'utf8')) as Record<
  string,
  string
>;
const token = process.env.STAND_IN_TOKEN;

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (request.headers['x-aws-parameters-secrets-token'] !== token) {
    response.writeHead(401).end('missing or wrong X-Aws-Parameters-Secrets-Token');
    return;
  }
  const name = url.searchParams.get('name') ?? '';
  const value = values[name];
  // The extension answers every failure of GetParameter, a missing parameter among them, so.
  if (url.pathname !== '/systemsmanager/parameters/get' || value === undefined) {
    response.writeHead(400).end('an unexpected error occurred while executing request');
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      Parameter: {
        Name: name,
        Type: 'SecureString',
        Value: value,
        Version: 1,
        DataType: 'text',
        Selector: null,
      },
      ResultMetadata: {},
    }),
  );
});
// On the IPv4 loopback, where the functions look for the extension (EXTENSION_HOST).
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on('disconnect', () => process.exit(0));
