import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';

interface HeldEndpoint {
  /** http://127.0.0.1:<port>: use it where the emulator's endpoint would go. */
  endpoint: string;
  /** Resolves once it holds: the first request after `holdAfter` said so is left unanswered. */
  holding: Promise<void>;
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of an emulator that answers every request until `holdAfter` says of one that the
 * next ones wait, then never answers again: a command caught in the middle of its work, for as long as a test
 * takes to stop it.
 */
export async function startHeldEndpoint(
  targetEndpoint: string,
  holdAfter: (request: IncomingMessage) => boolean,
): Promise<HeldEndpoint> {
  const target = new URL(targetEndpoint);
  let held = false;
  let startHolding = () => {};
  const holding = new Promise<void>((resolve) => {
    startHolding = resolve;
  });
  const server: Server = createServer((incoming, outgoing) => {
    if (held) {
      startHolding();
      return;
    }
    const last = holdAfter(incoming);
    const forwarded = request(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
        if (last) answer.on('end', () => (held = true));
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    holding,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A TCP server that takes every connection and never answers: an endpoint gone silent. */
export async function startSilentEndpoint(): Promise<{
  endpoint: string;
  connections: () => number;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createTcpServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
