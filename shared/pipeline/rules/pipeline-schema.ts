// The pipeline configuration's schema: what pipeline.yml may say, its defaults and its rules. Read
// when the stack is packaged (infra/pipeline.cjs) and by local runs and tests; the deployed functions
// carry the configuration as it validated, and no copy of this schema (config.ts).
import * as z from 'zod/mini';
import { ConfigError } from '../../core/rules/errors';
import { describeIssues } from '../../core/rules/validation';
import { batonName, codedeployName, githubRepository, iamRoleName, repositoryName } from './aws-names';
import { groupSchema } from './deployment-group';
import { operatorsSchema } from './operators-config';
import { COMPUTE_PLATFORMS, platformRules, resolvePlatform } from './platform';
import { resolveExisting, stackRules } from './stack-rules';
import { verifySchema } from './verify-config';

const minutes = (min: number, max: number) => z.int().check(z.minimum(min), z.maximum(max));

const enterSchema = z.union([
  z.strictObject({ branch: z.string().check(z.minLength(1), z.maxLength(200)) }),
  z.literal('release'),
  z.literal('promotion'),
]);

const approvalSchema = z.strictObject({
  approvers: z.array(z.email()).check(z.minLength(1)),
  required: z._default(z.int().check(z.minimum(1)), 1),
  // 5 minutes to 60 days; 72 hours by default.
  expiresInMinutes: z._default(minutes(5, 60 * 24 * 60), 72 * 60),
});

const targetStatus = z.enum(['Skipped', 'Unknown', 'Ready']);

const auditSchema = z.strictObject({
  minimumTargets: z._default(z.int().check(z.minimum(0)), 1),
  tolerate: z._default(z.array(targetStatus), []),
});

const fileSecretSchema = z.strictObject({
  secretId: z.string().check(z.minLength(1), z.maxLength(512)),
  path: z
    .string()
    .check(z.regex(/^(?!\/)(?!.*\.\.)[A-Za-z0-9._/-]+$/, 'a relative path without ..'), z.maxLength(255)),
  mode: z._default(z.string().check(z.regex(/^0[0-7]{3}$/, 'an octal mode such as 0600')), '0600'),
  owner: z.optional(z.string().check(z.regex(/^[a-z_][a-z0-9_-]*$/, 'a user name'))),
});

const secretsSchema = z.strictObject({
  env: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
  files: z._default(z.array(fileSecretSchema), []),
});

const environmentSchema = z.strictObject({
  name: batonName,
  deploymentGroup: codedeployName,
  enter: enterSchema,
  approval: z.optional(approvalSchema),
  audit: z._default(auditSchema, { minimumTargets: 1, tolerate: [] }),
  onFailure: z._default(z.enum(['block', 'rollback']), 'block'),
  secrets: z._default(secretsSchema, { files: [] }),
  // The deployment group the stack creates (see deployment-group.ts).
  group: z.optional(groupSchema),
  // The bake after a VERIFIED audit, and the alarms that must stay OK (see verify-config.ts).
  verify: z.optional(verifySchema),
});

const validRegExp = (s: string) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
};

const applicationObject = z.strictObject({
  codedeployApplication: codedeployName,
  // CodeDeploy's compute platform: EC2/on-premises instances (Server), an ECS service, or a Lambda alias.
  computePlatform: z._default(z.enum(COMPUTE_PLATFORMS), 'Server'),
  repositories: z._default(z.array(repositoryName), []),
  // GitHub repositories (owner/name) whose signed webhook deliveries are this application's pushes.
  github: z._default(z.array(githubRepository), []),
  // Default per platform (platform.ts): an archive on Server, an AppSpec file on ECS and Lambda.
  artifactKey: z.optional(
    z
      .string()
      .check(
        z.refine(
          (s) => s.includes('{application}') && s.includes('{commit}'),
          'must contain {application} and {commit}',
        ),
      ),
  ),
  releaseTagPattern: z._default(
    z.string().check(z.refine(validRegExp, 'must be a valid regular expression')),
    '^v\\d+\\.\\d+\\.\\d+$',
  ),
  instanceRoles: z._default(z.array(iamRoleName), []),
  // The stack creates the roles in instanceRoles, each with its instance profile.
  createInstanceRoles: z._default(z.boolean(), false),
  // Adopt the CodeDeploy application and groups (true), or create them from `group:` blocks.
  existing: z.optional(z.boolean()),
  environments: z.array(environmentSchema).check(z.minLength(1)),
});
const applicationSchema = z.pipe(
  applicationObject,
  z.transform((app) => resolvePlatform(resolveExisting(app))),
);

type Issues = { addIssue: (issue: { code: 'custom'; path: PropertyKey[]; message: string }) => void };

// An approval that could never be given, or that counts one person twice, is a configuration error.
const approvalContradictions = (
  approval: z.infer<typeof approvalSchema> | undefined,
  at: PropertyKey[],
  ctx: Issues,
) => {
  if (!approval) return;
  const seen = new Set<string>();
  approval.approvers.forEach((email, i) => {
    const key = email.toLowerCase();
    if (seen.has(key))
      ctx.addIssue({ code: 'custom', path: [...at, 'approvers', i], message: 'duplicate approver' });
    seen.add(key);
  });
  if (approval.required > seen.size)
    ctx.addIssue({
      code: 'custom',
      path: [...at, 'required'],
      message: `${approval.required} approvals required, but only ${seen.size} distinct approver(s)`,
    });
};

const prefix = (pattern: RegExp) => z.string().check(z.regex(pattern, 'a prefix ending in /'));

export const pipelineSchema = z
  .strictObject({
    version: z.literal(1),
    artifactPrefix: z._default(prefix(/^([A-Za-z0-9._-]+\/)*$/), 'artifacts/'),
    ledgerPrefix: z._default(prefix(/^([A-Za-z0-9._-]+\/)+$/), 'ledger/'),
    staleAfterMinutes: z._default(minutes(1, 24 * 60), 30),
    // Who hears of PARTIAL / FAILED / INCOMPLETE verdicts, rejections and moved tags (email).
    alertEmails: z._default(z.array(z.email()), []),
    // Who may run which operator commands; absent: whoever IAM lets invoke the operator (README).
    operators: z.optional(operatorsSchema),
    applications: z.record(batonName, applicationSchema),
  })
  .check(
    z.superRefine((config, ctx) => {
      const repos = new Map<string, string>();
      for (const [app, spec] of Object.entries(config.applications)) {
        const seen = new Set<string>();
        spec.environments.forEach((env, i) => {
          const at = ['applications', app, 'environments', i];
          if (seen.has(env.name))
            ctx.addIssue({ code: 'custom', path: [...at, 'name'], message: 'duplicate name' });
          seen.add(env.name);
          approvalContradictions(env.approval, [...at, 'approval'], ctx);
          if (env.enter === 'promotion' && i === 0)
            ctx.addIssue({
              code: 'custom',
              path: [...at, 'enter'],
              message: 'the first environment has no previous one',
            });
        });
        spec.repositories.forEach((repo, i) => {
          const owner = repos.get(repo);
          if (owner && owner !== app)
            ctx.addIssue({
              code: 'custom',
              path: ['applications', app, 'repositories', i],
              message: `already belongs to ${owner}`,
            });
          repos.set(repo, app);
        });
        spec.github.forEach((repo, i) => {
          const key = `github:${repo.toLowerCase()}`;
          const owner = repos.get(key);
          if (owner)
            ctx.addIssue({
              code: 'custom',
              path: ['applications', app, 'github', i],
              message: owner === app ? 'duplicate repository' : `already belongs to ${owner}`,
            });
          repos.set(key, app);
        });
      }
      stackRules(config.applications, ctx);
      platformRules(config.applications, ctx);
    }),
  );

export type Pipeline = z.infer<typeof pipelineSchema>;
export type Application = Pipeline['applications'][string];
export type Environment = Application['environments'][number];
export type EnterRule = Environment['enter'];
export type TolerableStatus = z.infer<typeof targetStatus>;

export const parsePipeline = (raw: unknown): Pipeline => {
  const result = pipelineSchema.safeParse(raw, { reportInput: true });
  if (!result.success)
    throw new ConfigError(describeIssues(result.error.issues, '', pipelineSchema, '(top level)'));
  return result.data;
};
