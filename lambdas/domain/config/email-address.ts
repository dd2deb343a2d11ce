import * as z from 'zod';

/** A label of a domain name as DNS carries it: letters, digits and inner hyphens (`xn--…` for IDN). */
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/u;
/** The local part HTML's e-mail input accepts: what mail servers take in practice, quotes aside. */
const LOCAL_PART = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$/iu;

/**
 * A domain in the ASCII form SNS and mail servers take: an internationalised one (`администрация.рф`, common for
 * Russian public bodies) in punycode (`xn--80aaccp4ajwpkgbl4lpb.xn--p1ai`), as WHATWG's URL parser writes it
 * (https://url.spec.whatwg.org/#concept-domain-to-ascii). Undefined for what is no domain name.
 */
function asciiDomain(domain: string): string | undefined {
  try {
    return new URL(`http://${domain}`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * An address as subscribed to an SNS topic: trimmed (one copied from a mail client often ends in a space), its
 * domain in ASCII, with a dot in it and a top-level domain of letters (or punycode), so that a mistyped
 * `head@admin-perm` is refused at synth rather than subscribed in vain.
 */
export const emailAddressSchema = z
  .string()
  .trim()
  .transform((address, context) => {
    const at = address.lastIndexOf('@');
    const local = address.slice(0, at);
    const domain = at > 0 ? asciiDomain(address.slice(at + 1)) : undefined;
    const labels = domain?.split('.') ?? [];
    const topLevel = labels.at(-1) ?? '';
    if (
      !LOCAL_PART.test(local) ||
      local.startsWith('.') ||
      local.endsWith('.') ||
      local.includes('..') ||
      labels.length < 2 ||
      !labels.every((label) => LABEL.test(label)) ||
      !(/^[a-z]{2,63}$/u.test(topLevel) || topLevel.startsWith('xn--'))
    ) {
      context.addIssue({ code: 'custom', message: `"${address}" is not an e-mail address` });
      return z.NEVER;
    }
    return `${local}@${domain}`;
  });
