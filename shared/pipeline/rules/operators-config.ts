// pipeline.yml `operators`: which IAM principals may run which classes of operator commands.
import * as z from 'zod/mini';
import { PRINCIPAL_RULE, readPrincipal } from '../../operator/rules/principals';

export const COMMAND_CLASSES = ['read', 'deploy', 'decide', 'force'] as const;
export type CommandClass = (typeof COMMAND_CLASSES)[number];

const entrySchema = z.strictObject({
  principal: z.string().check(z.refine((s) => readPrincipal(s) !== undefined, PRINCIPAL_RULE)),
  may: z.array(z.enum(COMMAND_CLASSES)).check(z.minLength(1)),
});

export const operatorsSchema = z.array(entrySchema).check(
  z.superRefine((entries, ctx) => {
    const seen = new Set<string>();
    entries.forEach((e, i) => {
      const key = e.principal.toLowerCase();
      if (seen.has(key))
        ctx.addIssue({ code: 'custom', path: [i, 'principal'], message: 'duplicate principal' });
      seen.add(key);
    });
  }),
);

export type OperatorEntry = z.infer<typeof entrySchema>;
