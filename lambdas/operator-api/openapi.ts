import * as z from 'zod';
import { problem } from '../domain/operator/schemas.js';
import { IDEMPOTENCY_KEY_PATTERN, ROUTES } from './routes.js';

const schemaOf = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' }) as Record<string, unknown>;

const errors = {
  '400': 'The request does not fit the schema',
  '401': 'No valid token',
  '403': 'Not an operator of that department',
  '404': 'No such inquiry (or not one of your departments)',
  '409': 'The inquiry is not in a state that allows this',
  '500':
    'Something failed on our side; a change may or may not be saved: repeat it with the same `Idempotency-Key`',
};

/** The handler's answer when a change is saved but its message to the citizen could not be queued. */
const notQueued = {
  description:
    'The change is saved, but its message to the citizen could not be queued: repeat the request with the same ' +
    '`Idempotency-Key` (after `Retry-After` seconds) to queue it; the change is not made twice.',
  headers: {
    'Retry-After': {
      description: 'Seconds to wait before repeating the request',
      schema: { type: 'integer' },
    },
  },
  content: { 'application/json': { schema: schemaOf(problem, 'output') } },
};

const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Names this change: the same action with the same body and key, by the same operator, changes nothing ' +
    'twice, and a repeat after a lost answer or a 503 gets the change as made (and queues its message if the ' +
    'first try did not). Another action or body under the same key is a new change. Without it, every request ' +
    'is a change of its own.',
  schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source, minLength: 1, maxLength: 100 },
};

/** The OpenAPI 3 document of the operator API, generated from the same zod schemas the handler validates with. */
export function openApiDocument(serverUrl?: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const parameters: unknown[] = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => ({
      name: match[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (route.query) {
      const query = schemaOf(route.query, 'input') as {
        properties?: Record<string, { description?: string }>;
        required?: string[];
      };
      // A parameter's description shows beside it in OpenAPI tools; its schema's is easily missed.
      for (const [name, { description, ...schema }] of Object.entries(query.properties ?? {}))
        parameters.push({
          name,
          in: 'query',
          required: query.required?.includes(name) ?? false,
          ...(description && { description }),
          schema,
        });
    }
    if (route.change) parameters.push(idempotencyKey);
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = {
      summary: route.summary,
      security: [{ bearer: [] }],
      ...(parameters.length > 0 && { parameters }),
      ...(route.body && {
        requestBody: {
          // A body whose every field may be left out may be left out too: no body is `{}`.
          required: !route.body.safeParse({}).success,
          content: { 'application/json': { schema: schemaOf(route.body, 'input') } },
        },
      }),
      responses: {
        '200': {
          description: 'OK',
          content: { 'application/json': { schema: schemaOf(route.response, 'output') } },
        },
        ...Object.fromEntries(
          Object.entries({ ...errors, ...route.errors }).map(([status, description]) => [
            status,
            { description, content: { 'application/json': { schema: schemaOf(problem, 'output') } } },
          ]),
        ),
        ...(route.queuesMessage && { '503': notQueued }),
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'VK inquiries: operator API',
      version: '1.0.0',
      description:
        "Operators see and answer their departments' inquiries. Send the ID token of the user pool (or, locally, a token `npm start` prints) as `Authorization: Bearer …`. Changes take an optional `Idempotency-Key` header (1–100 of `A-Za-z0-9._-`): the same action with the same body and key changes nothing twice. 409: the change is refused, or someone changed the inquiry meanwhile so that it would mean something else. 503: the change is saved but its message to the citizen is not yet queued; repeat it with the same key. The server is where this document was fetched from (`servers` is `/`): the paths start with `/api/v1`, so a client elsewhere sets its base URL to the API's bare address (the stack output `OperatorApiUrl`, or `http://localhost:<port>` under `npm start`), and finds this document at `<base URL>/api/openapi.json` (the stack output `OperatorApiDocumentUrl`).",
    },
    // Relative: the API answers at the address the document was fetched from, whatever the stage or domain.
    servers: [{ url: serverUrl ?? '/', description: 'Where this document was fetched from' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}
