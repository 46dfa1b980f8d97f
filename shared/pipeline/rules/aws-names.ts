// Names in pipeline.yml that AWS owns, held to their owner's rule (the service's API model) and no
// stricter, and Baton's own names, which stay plain because they become ledger keys and page text.
import * as z from 'zod/mini';

/** Baton's own names: applications and environments. */
export const batonName = z
  .string()
  .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'letters, digits, . _ - (max 100)'));

const codePoints = (s: string) => [...s].length;
const length = (max: number, owner: string) =>
  z.refine<string>((s) => codePoints(s) >= 1 && codePoints(s) <= max, `1-${max} characters (${owner})`);

// A name the stack puts into IAM ARNs (the functions' policies, the service role's SourceArn), where
// `*` and `?` are wildcards and `${` opens a policy variable (and a reference of Fn::Sub, which builds
// those ARNs): 1 to max characters as the owning service counts them, and none of those.
const IN_ARNS = /[*?]|\$\{/u;
const nameInArns = (max: number, owner: string) =>
  z.string().check(
    length(max, owner),
    z.refine(
      (s) => !IN_ARNS.test(s),
      'no * ? or ${: the name goes into IAM policy ARNs, where * and ? are wildcards and ${ a variable',
    ),
  );

// CodeDeploy's ApplicationName and DeploymentGroupName: 1-100 characters, no pattern.
export const codedeployName = nameInArns(100, 'CodeDeploy');

// CloudWatch's AlarmName: 1-255 characters, no pattern (monitoring-2010-08-01, AlarmName). DescribeAlarms
// is granted on * (no alarm ARN), and an EventBridge pattern's plain string matches exactly (* and ? are
// no wildcards there). Only `${` is refused: the names reach the reconcile function's EventBridge rule
// through a Serverless file variable, whose value the Framework resolves again (`${self:service}` would
// become the service's name), so the rule would watch another alarm than the one listed.
export const alarmName = z.string().check(
  length(255, 'CloudWatch AlarmName'),
  z.refine(
    (s) => !s.includes('${'),
    "no ${: the Serverless Framework would resolve it as a variable in the alarm names of the reconcile function's EventBridge rule, so the rule would watch another name",
  ),
);

// CodeCommit's RepositoryName: `[\w\.-]+`, 1-100 (a leading . _ or - included).
export const repositoryName = z
  .string()
  .check(z.regex(/^[\w.-]{1,100}$/, 'a CodeCommit repository name: 1-100 letters, digits, _ . -'));

// IAM's role name: `[\w+=,.@-]+`, 1-64 (no * or ?, so its ARNs never hold a wildcard).
export const iamRoleName = z
  .string()
  .check(z.regex(/^[\w+=,.@-]{1,64}$/, 'an IAM role name: 1-64 letters, digits, _ + = , . @ -'));

// GitHub's owner/name: an owner (user or organization) of 1-39 letters, digits and single hyphens, not
// at either end; a repository name of 1-100 letters, digits, _ . - other than . and .. (GitHub's rules).
// GitHub compares both without case.
export const githubRepository = z
  .string()
  .check(
    z.regex(
      /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\/(?!\.\.?$)[\w.-]{1,100}$/,
      'a GitHub repository owner/name: an owner of 1-39 letters, digits and single inner hyphens, / and a name of 1-100 letters, digits, _ . - (not . or ..)',
    ),
  );
