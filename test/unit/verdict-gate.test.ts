import { describe, expect, it } from 'vitest';
import { isVerdict, passesGate, VERDICTS } from '../../shared/audit/rules/gate';

describe('the gate on a verdict', () => {
  it('lets only VERIFIED through', () => {
    const passing = VERDICTS.filter(passesGate);

    expect(passing).toEqual(['VERIFIED']);
  });

  it.each(['PARTIAL', 'FAILED', 'INCOMPLETE'] as const)('holds a %s deployment', (verdict) => {
    expect(passesGate(verdict)).toBe(false);
  });

  it('holds a deployment with no verdict yet', () => {
    expect(passesGate(undefined)).toBe(false);
  });

  it('knows the four verdicts a record may carry, and nothing else', () => {
    expect(VERDICTS.every(isVerdict)).toBe(true);
    expect(['verified', 'SOMETHING-NEW', '', undefined, 1].some(isVerdict)).toBe(false);
  });
});
