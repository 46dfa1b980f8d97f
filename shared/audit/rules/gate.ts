// The audit's four verdicts, and the one rule on which of them lets a release, a commit or a
// remembered deployment count as good: every gate decision goes through passesGate.

export const VERDICTS = ['VERIFIED', 'PARTIAL', 'FAILED', 'INCOMPLETE'] as const;

export type Verdict = (typeof VERDICTS)[number];

export const isVerdict = (value: unknown): value is Verdict => VERDICTS.some((v) => v === value);

/** Only a VERIFIED deployment passes: PARTIAL, FAILED, INCOMPLETE and no verdict yet all hold. */
export const passesGate = (verdict: Verdict | undefined): boolean => verdict === 'VERIFIED';
