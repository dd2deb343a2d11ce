/**
 * vk-io's own Callback API receiver, what a bot built on VK's most used Node.js SDK runs: it checks the
 * secret, answers `ok` and hands the update to its middleware (here a no-op) without storing it anywhere.
 * Served on a Node HTTP server as its README shows (`vk.updates.getWebhookCallback()`).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VK } from 'vk-io';
import { demoCommunity } from '../support/vk-events.js';

const { secret } = demoCommunity();
const vk = new VK({ token: 'benchmark-token', webhookSecret: secret, webhookConfirmation: 'benchmark' });
// A no-op handler: what is measured is the receiver itself.
vk.updates.on('message_new', async () => {});
const callback = vk.updates.getWebhookCallback('/vk/callback');
const server = createServer((request, response) =>
  callback(request, response, () => {
    response.writeHead(404);
    response.end();
  }),
);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
