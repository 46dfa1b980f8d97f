// Strings an AWS model allows for a string shape: its enum, else its pattern, within its length bounds.
// Where the model sets no upper bound, `guard` (the bound the validator under test declares) stands in.
import fc from 'fast-check';
import { patternOf, type Shape } from './aws-model';

const codePoints = (s: string) => [...s].length;

export const modelStrings = (shape: Shape, guard: number): fc.Arbitrary<string> => {
  if (shape.type !== 'string') throw new Error(`not a string shape: ${shape.type}`);
  if (shape.enum) return fc.constantFrom(...shape.enum);
  const min = Math.max(shape.min ?? 0, 0);
  const max = Math.min(shape.max ?? guard, guard);
  if (shape.pattern) {
    const whole = patternOf(shape.pattern);
    return fc.stringMatching(whole).filter((s) => codePoints(s) >= min && codePoints(s) <= max);
  }
  return fc.string({ unit: 'binary', minLength: min, maxLength: max }).filter((s) => codePoints(s) <= max);
};

/** The edges too: the shortest and longest strings of one repeated letter the bounds allow. */
export const edgeStrings = (shape: Shape, guard: number, letter = 'a'): string[] => {
  const min = Math.max(shape.min ?? 1, 1);
  const max = Math.min(shape.max ?? guard, guard);
  return [letter.repeat(min), letter.repeat(max)];
};
