/**
 * dynalite and fauxqs in a process of their own, so that they use a core of their own and outlive (or die
 * apart from) the functions. Started by `startEmulatorsInChildProcess` (local/emulators.ts); answers its
 * requests over the IPC channel: first the endpoints, then one reply per command.
 */
import { type EmulatorCommand, startEmulators } from './emulators.js';

const send = (message: unknown) => process.send?.(message);
const ports = JSON.parse(process.env.EMULATOR_PORTS ?? '{}') as { dynamoPort?: number; sqsPort?: number };
const emulators = await startEmulators(ports);
send({ ready: { dynamoEndpoint: emulators.dynamoEndpoint, sqsEndpoint: emulators.sqsEndpoint } });

process.on('message', async ({ id, command }: { id: number; command: EmulatorCommand }) => {
  try {
    await emulators[command]();
    send({ id });
  } catch (error) {
    send({ id, error: (error as Error).message });
  }
  if (command === 'stop') process.exit(0);
});
// The parent is gone (killed, or ended without stopping us): nothing is left to serve.
process.on('disconnect', () => process.exit(0));
