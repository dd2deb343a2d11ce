import * as z from 'zod';

/** Where the document's shared schemas are, as its `$ref`s name them. */
const COMPONENT = '#/components/schemas/';

/**
 * The OpenAPI document with each `$ref` to a shared schema replaced by the schema (and `allOf: [$ref]` beside
 * a description, OpenAPI 3.0's way to describe a reference, by the schema with that description): as a test
 * reads a schema deep down, or turns one back into a validator.
 */
// biome-ignore lint/suspicious/noExplicitAny: the document is JSON, read as the OpenAPI spec lays it out
export function inlined(document: any): any {
  const schemas = document.components?.schemas ?? {};
  const inline = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(inline);
    if (node === null || typeof node !== 'object') return node;
    const { $ref, allOf, ...rest } = node as { $ref?: unknown; allOf?: unknown[] };
    if (typeof $ref === 'string') {
      if (!$ref.startsWith(COMPONENT) || !(schemas[$ref.slice(COMPONENT.length)] ?? false))
        throw new Error(`no shared schema ${$ref}`);
      return inline(schemas[$ref.slice(COMPONENT.length)]);
    }
    if (allOf?.length === 1 && typeof (allOf[0] as { $ref?: unknown }).$ref === 'string')
      return { ...(inline(allOf[0]) as object), ...(inline(rest) as object) };
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, inline(value)]));
  };
  return { ...document, paths: inline(document.paths) };
}

/**
 * Every issue of an answer against the schema the served document gives for its route (`path` as the document
 * names it, `method` in lower case) and status: none, when the document tells the truth.
 */
export function answerIssues(
  // biome-ignore lint/suspicious/noExplicitAny: the document is JSON, read as the OpenAPI spec lays it out
  document: any,
  path: string,
  method: string,
  answer: { status: number; body: unknown },
): string[] {
  const schema = z.fromJSONSchema(
    document.paths[path][method].responses[String(answer.status)].content['application/json'].schema,
    { defaultTarget: 'openapi-3.0' },
  );
  return (
    schema.safeParse(answer.body).error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ??
    []
  );
}
