// What SNS refuses in a Publish beyond its API model (where Subject and attribute names are plain
// strings): the Subject rule in the model's own documentation of PublishInput.Subject ("UTF-8 text
// with no line breaks or control characters, and less than 100 characters long", checked conservatively:
// fewer than 100 UTF-16 code units, which is fewer than 100 characters however SNS counts them), and the message attribute rules of the SNS Developer Guide ("Amazon SNS
// message attributes": names of A-Z a-z 0-9 _ - . up to 256, no leading, trailing or double period,
// not starting AWS. or Amazon.; type and value not empty).
import type { SentCommand } from './sdk-recorder';

/** "less than 100 characters". */
const SUBJECT_MAX = 99;
const BREAKS_OR_CONTROLS = /[\p{Cc}\u2028\u2029]/u;
const ATTRIBUTE_NAME = /^(?!\.)(?!.*\.\.)(?!.*\.$)(?!AWS\.|Amazon\.)[A-Za-z0-9_.-]{1,256}$/i;
const DATA_TYPES = /^(String|String\.Array|Number|Binary)(\..+)?$/;

export const subjectProblems = (subject: unknown): string[] => {
  if (subject === undefined) return [];
  if (typeof subject !== 'string') return ['Subject: not a string'];
  const problems: string[] = [];
  if (subject.length > SUBJECT_MAX)
    problems.push(`Subject: ${subject.length} UTF-16 code units, not less than 100`);
  if (BREAKS_OR_CONTROLS.test(subject)) problems.push('Subject: a line break or control character');
  if (/\p{Cs}/u.test(subject)) problems.push('Subject: not UTF-8 (a lone surrogate)');
  return problems;
};

type Attribute = { DataType?: unknown; StringValue?: unknown };
export const attributeProblems = (attributes: unknown): string[] =>
  Object.entries((attributes ?? {}) as Record<string, Attribute>).flatMap(([name, a]) => [
    ...(ATTRIBUTE_NAME.test(name) ? [] : [`MessageAttributes: the name ${JSON.stringify(name)}`]),
    ...(DATA_TYPES.test(String(a.DataType))
      ? []
      : [`MessageAttributes.${name}: the type ${String(a.DataType)}`]),
    ...(typeof a.StringValue === 'string' && a.StringValue !== ''
      ? []
      : [`MessageAttributes.${name}: an empty value`]),
  ]);

/** SNS's documented rules over every Publish among the recorded commands. */
export const publishProblems = (sent: readonly SentCommand[]): string[] =>
  sent
    .filter((c) => c.operation === 'Publish')
    .flatMap((c) => [...subjectProblems(c.input.Subject), ...attributeProblems(c.input.MessageAttributes)]);
