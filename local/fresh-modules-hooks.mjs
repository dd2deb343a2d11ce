/**
 * Module resolution hooks (https://nodejs.org/api/module.html#customization-hooks) that give a function's
 * fresh execution environment its own instance of every module of the project it imports: a module imported
 * with `?environment=<n>` passes the tag on to each project file it imports (not to node_modules, whose
 * libraries hold none of the function's state, nor to JSON files, which hold no code), so that the whole graph
 * under a handler is evaluated anew, module-level state and all. Plain JavaScript: Node loads it itself,
 * whatever loads the rest. Registered by fresh-modules.ts.
 */
const TAG = 'environment';

/**
 * @param {string} specifier
 * @param {{ parentURL?: string }} context
 * @param {(specifier: string, context: { parentURL?: string }) => Promise<{ url: string }>} nextResolve
 */
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  const tag = context.parentURL?.startsWith('file:')
    ? new URL(context.parentURL).searchParams.get(TAG)
    : null;
  if (
    tag === null ||
    !resolved.url.startsWith('file:') ||
    resolved.url.includes('/node_modules/') ||
    resolved.url.endsWith('.json')
  )
    return resolved;
  const url = new URL(resolved.url);
  url.searchParams.set(TAG, tag);
  return { ...resolved, url: url.href };
}
