import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../../lambdas/operator-api/openapi.js';

/**
 * The fingerprint of the OpenAPI document each version names. A change of what the document says (a field, a
 * description, a status, a header) fails here while the version stays: give the document a new version in
 * openapi.ts (VERSIONS, saying what changed) and add its fingerprint below. Never change one that is here: a
 * client generated from that version relies on it.
 */
const FINGERPRINTS: Record<string, string> = {
  '1.1.0': '0df70b68febd93179478fd19452db9bc533b7d27ce5a7808eb5a8fde3ceff277',
  '1.2.0': '77abbc99320f498373e039a0e1e1e313e84ecb48b5d4355136762f9c694420f1',
  '1.3.0': '8f9b71a85a5b60a02e82bbfa1621a5a378f7970babdac234dbbb52f5c47671cd',
  '1.4.0': '570dcd97bab424414d49f4ba2210274d5b9d926fcb262969df7e2c4c2580530f',
  '1.5.0': '2115817ad74dcdbad59ecd6e0d82e90fcd35d6550d6ff9b4178a406d9e39aaa6',
  '1.6.0': '7ee3360f37f1f3268f8af4b28ba2063192703c41d308fc25fc5a7e67f44752a4',
};

describe('the OpenAPI document', () => {
  it('changes only with its version', () => {
    const document = openApiDocument();
    const { version } = document.info as { version: string };
    const fingerprint = createHash('sha256').update(JSON.stringify(document)).digest('hex');
    expect({ version, fingerprint }).toEqual({ version, fingerprint: FINGERPRINTS[version] });
  });
});
