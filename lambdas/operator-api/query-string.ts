/**
 * A request's query parameters by name, each given once: a parameter given twice (`status=routed&status=closed`)
 * is named among `repeated` rather than read as one of its values, as no parameter of the API takes a list.
 */
export function queryParameters(rawQueryString: string | undefined): {
  parameters: Record<string, string>;
  repeated: string[];
} {
  const parameters: Record<string, string> = {};
  const repeated = new Set<string>();
  for (const [name, value] of new URLSearchParams(rawQueryString ?? '')) {
    if (Object.hasOwn(parameters, name)) repeated.add(name);
    parameters[name] = value;
  }
  return { parameters, repeated: [...repeated] };
}
