import {
  type AnswerTemplate,
  byTitle,
  TEMPLATES_PER_DEPARTMENT,
  UNREADABLE,
} from '../../domain/operator/answer-templates.js';
import { etagOf, type IfMatch, ifMatchHolds, namesWeakTag } from '../../domain/operator/preconditions.js';
import { type ApiAnswer, answer, type NoInput, problem, type RouteDeps, type UseCase } from '../api.js';
import type { AnswerTemplateBody } from '../contract/answer-templates.js';
import { departmentRefusal } from '../department-path.js';

const shown = ({ id, title, text, version, updatedAt, updatedBy }: AnswerTemplate) => ({
  id,
  title,
  text,
  version,
  updatedAt,
  updatedBy,
});

const withEtag = (template: AnswerTemplate): ApiAnswer => ({
  ...answer(200, shown(template)),
  headers: { etag: etagOf(template.version) },
});

/**
 * A colleague changed (or deleted) the template since it was read; or the ETag was sent made weak; or what is
 * stored under the id does not read as a template, and has no version to match.
 */
const preconditionFailed = (
  ifMatch: IfMatch,
  stored: AnswerTemplate | typeof UNREADABLE | undefined,
): ApiAnswer =>
  stored === UNREADABLE
    ? problem(
        412,
        'precondition_failed',
        'the template stored under this id cannot be read (ops are told): save it without If-Match to write ' +
          'it again, or delete it',
      )
    : {
        ...problem(
          412,
          'precondition_failed',
          namesWeakTag(ifMatch)
            ? 'If-Match: a weak ETag (W/"…") never matches: send the ETag as given'
            : stored
              ? `the template changed since it was read: it is at version ${stored.version} now`
              : 'the template was deleted since it was read',
        ),
        ...(stored && { headers: { etag: etagOf(stored.version) } }),
      };

/**
 * A department's answer templates are kept by its own operators: any operator of the department (and any
 * admin) reads, writes and deletes them, as all of them answer with them; heads need no role of their own, and
 * ops no deploy. A department not configured (removed, renamed) has its templates no longer served
 * (departmentRefusal).
 *
 * GET /api/v1/departments/{department}/answer-templates: all of them, by title.
 */
export const listAnswerTemplates: UseCase<NoInput, NoInput, RouteDeps> = async (request, deps) => {
  const refused = departmentRefusal(request, deps);
  if (refused) return refused;
  const templates = await deps.templates.list(request.params.department ?? '');
  return answer(200, { items: templates.sort(byTitle).map(shown) });
};

/** How many times a replace without `If-Match` reads again after a colleague's change came between. */
const TRIES = 3;

/**
 * PUT /api/v1/departments/{department}/answer-templates/{templateId}: a new template, or the one of this id
 * replaced. With `If-Match`, only on the version named (412 otherwise, or if it is gone). The same title and
 * text as stored write nothing and answer it as it is, so a repeat after a lost answer is answered as made,
 * whatever its `If-Match`: PUT is idempotent by itself, and takes no `Idempotency-Key`.
 */
export const putAnswerTemplate: UseCase<AnswerTemplateBody, NoInput, RouteDeps> = async (request, deps) => {
  const refused = departmentRefusal(request, deps);
  if (refused) return refused;
  const department = request.params.department ?? '';
  const id = request.params.templateId ?? '';
  const { title, text } = request.body;
  for (let tries = 1; ; tries += 1) {
    const found = await deps.templates.get(department, id);
    // An item edited out of shape (ops are told) is written over: saving the template again mends it.
    const unreadable = found === UNREADABLE;
    const stored = unreadable ? undefined : found;
    if (stored && stored.title === title && stored.text === text) return withEtag(stored);
    if (request.ifMatch && !(stored && ifMatchHolds(request.ifMatch, stored.version)))
      return preconditionFailed(request.ifMatch, found);
    if (!found && (await deps.templates.count(department)) >= TEMPLATES_PER_DEPARTMENT)
      return problem(
        409,
        'too_many_templates',
        `department "${department}" keeps ${TEMPLATES_PER_DEPARTMENT} answer templates already: delete one it no ` +
          'longer uses, or replace it',
      );
    const template: AnswerTemplate = {
      id,
      department,
      title,
      text,
      version: (stored?.version ?? 0) + 1,
      updatedAt: deps.clock.now().toISOString(),
      updatedBy: { id: request.operator.id, name: request.operator.name },
    };
    const expected = stored ? { version: stored.version } : unreadable ? 'any' : 'absent';
    if (await deps.templates.put(template, expected)) return withEtag(template);
    // A colleague saved or deleted it between the read and the write: with If-Match, theirs stands.
    if (request.ifMatch || tries === TRIES)
      return preconditionFailed(request.ifMatch ?? '*', await deps.templates.get(department, id));
  }
};

/**
 * DELETE /api/v1/departments/{department}/answer-templates/{templateId}: 204, and 204 again for one already
 * gone (a repeat, or a colleague's delete), so no `Idempotency-Key` is needed. With `If-Match`, only the version
 * named: a template a colleague changed since it was read answers 412 and stays.
 */
export const deleteAnswerTemplate: UseCase<NoInput, NoInput, RouteDeps> = async (request, deps) => {
  const refused = departmentRefusal(request, deps);
  if (refused) return refused;
  const department = request.params.department ?? '';
  const id = request.params.templateId ?? '';
  const gone: ApiAnswer = { status: 204, body: undefined };
  if (!request.ifMatch) {
    await deps.templates.delete(department, id, 'any');
    return gone;
  }
  const stored = await deps.templates.get(department, id);
  if (!stored) return gone;
  if (stored === UNREADABLE || !ifMatchHolds(request.ifMatch, stored.version))
    return preconditionFailed(request.ifMatch, stored);
  if (await deps.templates.delete(department, id, { version: stored.version })) return gone;
  const now = await deps.templates.get(department, id);
  return now ? preconditionFailed(request.ifMatch, now) : gone;
};
