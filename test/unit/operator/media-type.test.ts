import { describe, expect, it } from 'vitest';
import { preferredMediaType } from '../../../lambdas/operator-api/media-type.js';

const OFFERED = ['application/json', 'text/csv'] as const;
const asked = (accept: string | undefined) => preferredMediaType(accept, OFFERED);

describe('the form an Accept header asks for', () => {
  it('is JSON for no Accept, an empty one, */* and application/json', () => {
    expect(asked(undefined)).toBe('application/json');
    expect(asked('')).toBe('application/json');
    expect(asked('*/*')).toBe('application/json');
    expect(asked('application/json')).toBe('application/json');
    // A browser's navigation: nothing it names is offered, but */* allows both, JSON first.
    expect(asked('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')).toBe('application/json');
  });

  it('is CSV when asked for, or weighed above JSON', () => {
    expect(asked('text/csv')).toBe('text/csv');
    expect(asked('Text/CSV; charset=utf-8')).toBe('text/csv');
    expect(asked('text/*')).toBe('text/csv');
    expect(asked('application/json;q=0.5, text/csv')).toBe('text/csv');
    expect(asked('text/csv, */*;q=0.1')).toBe('text/csv');
    // Equal weights: the first offered.
    expect(asked('text/csv, application/json')).toBe('application/json');
  });

  it('weighs each type by the most specific range that names it', () => {
    expect(asked('*/*, application/json;q=0')).toBe('text/csv');
    expect(asked('text/csv;q=0, */*')).toBe('application/json');
  });

  it('leaves out a range whose weight is no qvalue of 0 to 1, rather than weighing it as read', () => {
    // Read as numbers, 2 and 0x1 outweighed JSON's 1, and an empty q refused CSV as q=0 would.
    expect(asked('text/csv;q=2, application/json')).toBe('application/json');
    expect(asked('text/csv;q=0x1, application/json;q=0.5')).toBe('application/json');
    expect(asked('text/csv;q=1e0, application/json;q=0.5')).toBe('application/json');
    expect(asked('text/*, text/csv;q=')).toBe('text/csv');
    expect(asked('text/*, text/csv;q=-1')).toBe('text/csv');
    // A weight without its 0, as old Java clients send by default, still counts.
    expect(asked('text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2')).toBe('application/json');
    expect(asked('application/json;q=.2, text/csv;q=0.5')).toBe('text/csv');
  });

  it('is none when the header allows neither', () => {
    expect(asked('application/xml')).toBeUndefined();
    expect(asked('text/html, image/*')).toBeUndefined();
    expect(asked('application/json;q=0, text/csv;q=0')).toBeUndefined();
    expect(asked('*/*;q=0')).toBeUndefined();
  });
});
