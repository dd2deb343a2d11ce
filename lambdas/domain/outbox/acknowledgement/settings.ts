import { communityOf } from '../../config/community-of.js';
import type { AppConfig } from '../../config/schema.js';
import type { Inquiry } from '../../inquiry/inquiry.js';
import {
  DEFAULT_ACKNOWLEDGEMENT_TEMPLATE,
  DEFAULT_CRITICAL_NOTICE,
  DEFAULT_EDIT_RAISED_ACKNOWLEDGEMENT_TEMPLATE,
  DEFAULT_EDIT_RAISED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE,
  DEFAULT_EDIT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE,
  DEFAULT_EDIT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE,
  DEFAULT_RAISED_ACKNOWLEDGEMENT_TEMPLATE,
  DEFAULT_RAISED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE,
  DEFAULT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE,
  DEFAULT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE,
} from './words.js';

export interface AcknowledgementSettings {
  enabled: boolean;
  template: string;
  /**
   * The words once the deadline `template` names has passed (a routing replayed from the dead letters days
   * later, an acknowledgement VK took that long to take), so that the citizen is not promised a time already
   * gone; without `{dueAt}`. Omitted: DEFAULT_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE. A template of the ops' own
   * is not cut into pieces for it: "т.е.", "г." or a web address end no sentence.
   */
  templateOnceDue?: string | undefined;
  timeZone: string;
  /** The words for the community's clock in `{dueAt}` (due-at.ts); omitted: "по местному времени". */
  localTimeName?: string | undefined;
  /**
   * The line an acknowledgement of a `critical` inquiry begins with (`acknowledgement.critical`): where to call
   * when life is at risk. Empty or omitted: none.
   */
  criticalNotice?: string | undefined;
  departmentName: string;
}

/**
 * What the citizen is told of `department`: its public name, or its name (`departments[].publicName`). One
 * the configuration no longer names (an opening event replayed after its department was removed) is told as
 * the community's triage department, which the inquiry's next change hands it to (unconfigured-department.ts):
 * never its id, a word of the configuration's, nor nothing.
 */
function publicNameOf(config: AppConfig, department: string | undefined, triageDepartment: string): string {
  const named = (id: string | undefined) => config.departments.find((candidate) => candidate.id === id);
  const configured = named(department) ?? named(triageDepartment);
  return configured?.publicName ?? configured?.name ?? department ?? '';
}

/** How the inquiry's community acknowledges, naming `department` (`communities[].acknowledgement`). */
export function settingsOf(
  inquiry: Inquiry,
  config: AppConfig,
  department: string | undefined,
): AcknowledgementSettings | undefined {
  const community = communityOf(config, inquiry.groupId);
  if (!community) return undefined;
  return {
    enabled: community.acknowledgement?.enabled ?? true,
    template: community.acknowledgement?.template ?? DEFAULT_ACKNOWLEDGEMENT_TEMPLATE,
    templateOnceDue: community.acknowledgement?.templateOnceDue,
    timeZone: community.calendar.timeZone,
    localTimeName: community.acknowledgement?.localTimeName,
    criticalNotice: community.acknowledgement?.critical ?? DEFAULT_CRITICAL_NOTICE,
    departmentName: publicNameOf(config, department, community.triageDepartment),
  };
}

/**
 * How the inquiry's community acknowledges a citizen's reopening (`communities[].acknowledgement.reopened`):
 * not at all when it acknowledges nothing, or no reopening; in its words for one, or the default ones. One
 * reopened by an edit of a message the answer covered (`reopenedByEdit`) is told in the words for that
 * (`acknowledgement.reopenedByEdit`): the message was part of the case already.
 */
export function reopenedSettingsOf(inquiry: Inquiry, config: AppConfig): AcknowledgementSettings | undefined {
  const settings = settingsOf(inquiry, config, inquiry.department);
  if (!settings) return undefined;
  const acknowledgement = communityOf(config, inquiry.groupId)?.acknowledgement;
  const reopened = acknowledgement?.reopened;
  const enabled = settings.enabled && (reopened?.enabled ?? true);
  if (inquiry.reopenedByEdit === true) {
    const byEdit = acknowledgement?.reopenedByEdit;
    return {
      ...settings,
      enabled,
      template: byEdit?.template ?? DEFAULT_EDIT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE,
      templateOnceDue: byEdit?.templateOnceDue ?? DEFAULT_EDIT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE,
    };
  }
  return {
    ...settings,
    enabled,
    template: reopened?.template ?? DEFAULT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE,
    templateOnceDue: reopened?.templateOnceDue ?? DEFAULT_REOPENED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE,
  };
}

/**
 * How the inquiry's community acknowledges a citizen's follow-up that raised the inquiry's priority
 * (`communities[].acknowledgement.raised`): not at all when it acknowledges nothing, or no raise; in its words
 * for one, or the default ones. One raised by an edit of the inquiry's message (`raisedByEdit`) is told in the
 * words for that (`acknowledgement.raisedByEdit`): the message was part of the case already.
 */
export function raisedSettingsOf(inquiry: Inquiry, config: AppConfig): AcknowledgementSettings | undefined {
  const settings = settingsOf(inquiry, config, inquiry.department);
  if (!settings) return undefined;
  const acknowledgement = communityOf(config, inquiry.groupId)?.acknowledgement;
  const raised = acknowledgement?.raised;
  const enabled = settings.enabled && (raised?.enabled ?? true);
  if (inquiry.raisedByEdit === true) {
    const byEdit = acknowledgement?.raisedByEdit;
    return {
      ...settings,
      enabled,
      template: byEdit?.template ?? DEFAULT_EDIT_RAISED_ACKNOWLEDGEMENT_TEMPLATE,
      templateOnceDue: byEdit?.templateOnceDue ?? DEFAULT_EDIT_RAISED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE,
    };
  }
  return {
    ...settings,
    enabled,
    template: raised?.template ?? DEFAULT_RAISED_ACKNOWLEDGEMENT_TEMPLATE,
    templateOnceDue: raised?.templateOnceDue ?? DEFAULT_RAISED_ACKNOWLEDGEMENT_TEMPLATE_ONCE_DUE,
  };
}
