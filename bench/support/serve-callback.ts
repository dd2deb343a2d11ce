import { ingestFunction } from '../../local/http-functions.js';
import { type HttpHandler, startHttpServer } from '../../local/http-server.js';

/**
 * Serves one handler at /vk/callback on the local HTTP server (an API Gateway event per request, as the
 * local runtime builds it), sends the server's URL to the parent, and stops on SIGTERM: a benchmark's server.
 */
export async function serveCallback(handler: HttpHandler): Promise<void> {
  const server = await startHttpServer({
    port: 0,
    functions: { '/vk/callback': ingestFunction({ handler }) },
    json: async () => undefined,
    onError: (error) => console.error(error),
    // The handler's own cost, compared with a receiver that runs bare: without the local runtime's timeout
    // guard, whose async context costs each request a sixth more CPU on Node 20 and has no cost in Lambda.
    stopCallsAfterTimeout: false,
  });
  process.send?.({ url: server.url });
  process.on('SIGTERM', async () => {
    await server.close();
    process.exit(0);
  });
}
