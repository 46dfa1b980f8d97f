// The operator's answer, as shared/operator/invoke.ts gives it: a result, or a refusal naming its kind.
import * as z from 'zod/mini';

const answerSchema = z.union([
  z.looseObject({ ok: z.literal(true), result: z.unknown() }),
  z.looseObject({ ok: z.literal(false), kind: z.string(), error: z.string() }),
]);

export type Answer = { ok: true; result: unknown } | { ok: false; kind: string; error: string };

/** Undefined when the value is not an operator answer (another function, another version). */
export const readAnswer = (value: unknown): Answer | undefined => {
  const parsed = answerSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const a = parsed.data;
  return a.ok ? { ok: true, result: a.result } : { ok: false, kind: a.kind, error: a.error };
};

/** What a Lambda function error carries (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html). */
export const functionErrorSchema = z.looseObject({
  errorType: z.optional(z.string()),
  errorMessage: z.optional(z.string()),
});
