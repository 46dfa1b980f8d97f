// An environment's `verify:` block: the bake after a VERIFIED audit, and the CloudWatch alarms that
// must not go to ALARM during it and be OK at its end (see shared/verification/).
import * as z from 'zod/mini';
import { alarmName } from './aws-names';

/** A week at most: a bake holds the release, and the next environment waits for it. */
export const MAX_BAKE_MINUTES = 7 * 24 * 60;

// DescribeAlarms takes up to 100 AlarmNames in one call.
export const MAX_BAKE_ALARMS = 100;

export const verifySchema = z
  .strictObject({
    bakeMinutes: z.int().check(z.minimum(0), z.maximum(MAX_BAKE_MINUTES)),
    alarms: z._default(z.array(alarmName).check(z.maxLength(MAX_BAKE_ALARMS)), []),
    // What an alarm in INSUFFICIENT_DATA (or missing) at the end of the bake means.
    inconclusive: z._default(z.enum(['hold', 'fail', 'pass']), 'hold'),
  })
  .check(
    z.superRefine((v, ctx) => {
      v.alarms.forEach((name, i) => {
        if (v.alarms.indexOf(name) !== i)
          ctx.addIssue({ code: 'custom', path: ['alarms', i], message: 'duplicate alarm' });
      });
    }),
  );

export type VerifySpec = z.infer<typeof verifySchema>;
export type Inconclusive = VerifySpec['inconclusive'];
