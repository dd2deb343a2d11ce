import { describe, expect, it } from 'vitest';
import {
  fromInquiryItem,
  MalformedInquiryItem,
  toInquiryItem,
} from '../../../lambdas/adapters/inquiry-items.js';
import { routedInquiry } from '../../support/routed-inquiry.js';

/** What a malformed item's error names of it: its id, the attributes at fault, and its department where it reads. */
const errorOf = (item: Record<string, unknown>) => {
  try {
    fromInquiryItem(item);
  } catch (error) {
    if (error instanceof MalformedInquiryItem) return error;
    throw error;
  }
  throw new Error('read as an inquiry');
};

describe('a malformed inquiry item', () => {
  const item = toInquiryItem(routedInquiry({ id: 'inq-malformed', department: 'roads' }));

  it('names the department it is in, for the API to tell only whom may see that department', () => {
    const { replyTo: _replyTo, ...broken } = item;
    expect(errorOf(broken)).toMatchObject({
      inquiryId: 'inq-malformed',
      attributes: ['replyTo'],
      department: 'roads',
    });
  });

  it('names none where its department is what does not read', () => {
    for (const department of [42, '', ['roads']]) {
      const error = errorOf({ ...item, department });
      expect(error.attributes, String(department)).toContain('department');
      expect(error.department, String(department)).toBeUndefined();
    }
  });
});
