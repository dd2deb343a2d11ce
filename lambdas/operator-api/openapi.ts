import * as z from 'zod';
import { problem } from '../domain/operator/schemas.js';
import { ROUTES } from './routes.js';

const schemaOf = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' }) as Record<string, unknown>;

const errors = {
  '400': 'The request does not fit the schema',
  '401': 'No valid token',
  '403': 'Not an operator of that department',
  '404': 'No such inquiry (or not one of your departments)',
  '409': 'The inquiry is not in a state that allows this',
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
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'VK inquiries: operator API',
      version: '1.0.0',
      description:
        "Operators see and answer their departments' inquiries. Send the ID token of the user pool (or, locally, a token `npm start` prints) as `Authorization: Bearer …`. Changes take an optional `Idempotency-Key` header (1–100 of `A-Za-z0-9._-`): the same action with the same body and key changes nothing twice. 409: the change is refused, or someone changed the inquiry meanwhile so that it would mean something else. 503: the change is saved but its message to the citizen is not yet queued; repeat it with the same key.",
    },
    ...(serverUrl && { servers: [{ url: serverUrl }] }),
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}
