import * as z from 'zod';
import { AWS_REGION } from './aws-region.js';

/** What Cognito requires an invitation to hold: the user's name in the pool and the temporary password. */
const INVITATION_PLACEHOLDERS = ['{username}', '{####}'] as const;

/**
 * How the operators' user pool mails them (the invitation with a temporary password, a password reset): omitted,
 * Cognito's own sender, from no-reply@verificationemail.com, in English, and at most 50 messages a day for the
 * whole AWS account; with it, SES, from an identity SES has verified (docs/runbook.md). Read by `cdk synth` only.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html
 */
export const operatorMailSchema = z
  .strictObject({
    /** The sender: an address SES has verified, or one of `sesVerifiedDomain`. ASCII before the @ (Cognito's rule). */
    from: z.email(),
    /** The sender's name as the mail shows it ("Администрация района"): Cyrillic is sent encoded. */
    fromName: z.string().min(1).max(100).optional(),
    /** Where replies go; omitted, `from`. */
    replyTo: z.email().optional(),
    /** The domain SES has verified, when the `from` address is not an identity of its own. */
    sesVerifiedDomain: z
      .string()
      .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'a domain name such as example.org')
      .optional(),
    /** The region of the SES identity, when it is not the stage's (Cognito allows only some such pairs). */
    sesRegion: z.string().regex(AWS_REGION, 'an AWS region such as eu-central-1').optional(),
    /**
     * The invitation, in the operators' language; Cognito allows it only with SES. Omitted, Cognito's English
     * one. Its limits are Cognito's: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-cognito-userpool-invitemessagetemplate.html
     */
    invitation: z
      .strictObject({
        subject: z.string().min(1).max(140),
        /** With {username} and {####} (the temporary password), both of which Cognito requires; HTML is allowed. */
        body: z
          .string()
          .min(6)
          .max(20_000)
          .superRefine((body, context) => {
            for (const placeholder of INVITATION_PLACEHOLDERS)
              if (!body.includes(placeholder))
                context.addIssue({ code: 'custom', message: `the invitation must hold ${placeholder}` });
          }),
      })
      .optional(),
  })
  .superRefine((mail, context) => {
    if (mail.sesVerifiedDomain !== undefined && mail.from.split('@').pop() !== mail.sesVerifiedDomain)
      context.addIssue({
        code: 'custom',
        path: ['from'],
        message: `the sender must be an address of ${mail.sesVerifiedDomain}, the domain SES verified`,
      });
  });

export type OperatorMail = z.infer<typeof operatorMailSchema>;
