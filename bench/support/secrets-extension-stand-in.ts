/**
 * Stands in for the AWS Parameters and Secrets Lambda Extension while cold starts are timed: serves the
 * values of a secrets file on 127.0.0.1 (local/secrets-extension-stand-in.ts), in a process of its own (the
 * benchmark's process waits on each probe without serving anything). Started by
 * `startSecretsExtensionStandIn`; tells its port over IPC.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EXTENSION_HOST } from '../../lambdas/adapters/extension-secret-store.js';
import { answerAsSecretsExtension } from '../../local/secrets-extension-stand-in.js';

const values = JSON.parse(readFileSync(process.env.STAND_IN_SECRETS_FILE ?? '', 'utf8')) as Record<
  string,
  string
>;
const server = createServer(answerAsSecretsExtension(values, process.env.STAND_IN_TOKEN ?? ''));
// Where the functions look for the extension.
server.listen(0, EXTENSION_HOST, () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on('disconnect', () => process.exit(0));
