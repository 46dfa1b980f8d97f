// The one subject line of every email Baton sends: "Baton <application> <environment>: <what>", or
// "Baton <application>: <what>" when no environment is concerned. An inbox sorts and filters on it, so
// the application and environment always come first, and what happened (the verdict, the question)
// comes right after them, before any name that may be long. SNS takes at most 100 characters of UTF-8
// with no line breaks or control characters: the subject is built to fit, so nothing is cut after it.
import { oneLine } from './email-text';

export const SUBJECT_MAX = 100;
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
  const room = SUBJECT_MAX - [...prefix].length;
  // `oneLine` counts UTF-16 units; a subject is counted in characters, as SNS counts it.
  const body = [...oneLine(what, room * 2)];
  return prefix + (body.length > room ? `${body.slice(0, room - 1).join('')}…` : body.join(''));
};

/** What the subject's pattern is, for a reader (and a test) to check one against. */
export const SUBJECT_PATTERN = /^Baton [^\s:]+(?: [^\s:]+)?: \S/;
