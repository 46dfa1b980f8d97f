// The one subject line of every email Baton sends: "Baton <application> <environment>: <what>", or
// "Baton <application>: <what>" when no environment is concerned. An inbox sorts and filters on it, so
// the application and environment always come first, and what happened (the verdict, the question)
// comes right after them, before any name that may be long. SNS takes UTF-8 "with no line breaks or
// control characters, and less than 100 characters long": the subject is built to fit, so nothing is
// cut after it.
import { oneLine } from './email-text';

/**
 * Fewer than 100, counted in UTF-16 code units: never more than the characters SNS counts, however it
 * counts them (a character outside the BMP is two units here, one or two there).
 */
export const SUBJECT_MAX = 99;
/** Room kept for what happened, however long the names. */
const NAME_MAX = 32;

export interface SubjectScope {
  application: string;
  environment?: string | undefined;
}

/** "Baton web production: approve release v1.2.0?" — at most SUBJECT_MAX characters, on one line. */
export const emailSubject = (scope: SubjectScope, what: string): string => {
  const names = [scope.application, scope.environment].filter((n): n is string => Boolean(n));
  const prefix = `Baton ${names.map((n) => oneLine(n, NAME_MAX)).join(' ')}: `;
  // `oneLine` counts UTF-16 code units and never split a surrogate pair.
  return prefix + oneLine(what, SUBJECT_MAX - prefix.length);
};

/** Any text as a subject SNS takes: printable, on one line, under 100 characters. */
export const fittedSubject = (subject: string): string => oneLine(subject, SUBJECT_MAX);

/** What the subject's pattern is, for a reader (and a test) to check one against. */
export const SUBJECT_PATTERN = /^Baton [^\s:]+(?: [^\s:]+)?: \S/;
