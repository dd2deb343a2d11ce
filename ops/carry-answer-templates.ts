import {
  type AnswerTemplateStore,
  byTitle,
  TEMPLATES_PER_DEPARTMENT,
  UNREADABLE,
} from '../lambdas/domain/operator/answer-templates.js';

/** What a department's move did with its answer templates (with `dryRun`: would do). */
export interface TemplatesCarried {
  /** Carried to the new department, and gone from the old. */
  carried: number;
  /** Left in the old department, by id, with the reason. */
  left: { id: string; reason: string }[];
}

/**
 * Carries the old department's answer templates to the new one, for a department renamed or merged: each is
 * written under the new department as it was (its version, when and by whom it was saved), then deleted from the
 * old one on its version. One whose id the new department has already, with other words, is left where it was and
 * named: neither is lost, and the heads choose. One with the same words (a run stopped between the two writes) is
 * taken as carried. The new department takes no more than the API lets it keep: its list is one answer of the
 * function, and two full departments' longest texts would pass the 6 MB it may give
 * (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html); those past the cap are left, by title,
 * and named.
 */
export async function carryAnswerTemplates(
  store: AnswerTemplateStore,
  from: string,
  to: string,
  dryRun: boolean,
): Promise<TemplatesCarried> {
  const result: TemplatesCarried = { carried: 0, left: [] };
  let room = TEMPLATES_PER_DEPARTMENT - (await store.count(to));
  for (const template of (await store.list(from)).sort(byTitle)) {
    const there = await store.get(to, template.id);
    if (there === UNREADABLE) {
      result.left.push({
        id: template.id,
        reason: `${to} holds an item under this id that does not read as a template: mend or delete it (docs/runbook.md, "A malformed inquiry item") and run again`,
      });
      continue;
    }
    if (there && (there.title !== template.title || there.text !== template.text)) {
      result.left.push({
        id: template.id,
        reason: `${to} has a template of this id with other words: rename one (PUT it under a new id, delete the old) and run again`,
      });
      continue;
    }
    if (!there && room <= 0) {
      result.left.push({
        id: template.id,
        reason: `${to} keeps ${TEMPLATES_PER_DEPARTMENT} answer templates already: delete those no longer used (there or here) and run again`,
      });
      continue;
    }
    if (!there) room--;
    if (dryRun) {
      result.carried++;
      continue;
    }
    if (!there && !(await store.put({ ...template, department: to }, 'absent'))) {
      result.left.push({ id: template.id, reason: `${to} got a template of this id meanwhile: run again` });
      continue;
    }
    if (await store.delete(from, template.id, { version: template.version })) result.carried++;
    else result.left.push({ id: template.id, reason: `changed in ${from} meanwhile: run again` });
  }
  return result;
}
