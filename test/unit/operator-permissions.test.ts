// pipeline.yml `operators`: which principals may run which command classes, role sessions matched to
// their role, and refusals that name the missing permission and where to grant it.
import { describe, expect, it } from 'vitest';
import { invokeOperator } from '../../shared/operator/invoke';
import { authorize, PermissionRefusedError } from '../../shared/operator/permissions';
import { type Actor, CONSOLE_IDENTITY } from '../../shared/operator/rules/actor';
import { principalMatches, readPrincipal } from '../../shared/operator/rules/principals';
import { parsePipeline } from '../../shared/pipeline/rules/config';
import type { OperatorEntry } from '../../shared/pipeline/rules/operators-config';
import { loadEvent, memoryDeps } from '../support/fixtures';

const ACCOUNT = '123456789012';
const iam = (arn: string): Actor => ({ kind: 'iam', arn });
const OPERATORS: OperatorEntry[] = [
  { principal: 'arn:aws:iam::123456789012:role/teams/release-managers', may: ['read', 'deploy', 'decide'] },
  { principal: 'arn:aws:iam::123456789012:user/alice', may: ['read', 'deploy', 'decide', 'force'] },
];
const refusal = (
  actor: Actor,
  cmd: { command: string; force?: boolean },
  /** null: no operators section. */
  operators: OperatorEntry[] | null = OPERATORS,
) => {
  try {
    authorize(operators ?? undefined, actor, ACCOUNT, cmd);
    return 'allowed';
  } catch (error) {
    return error instanceof PermissionRefusedError ? error.message : 'other error';
  }
};

describe('operator permissions', () => {
  it('refuses a forced promote to a principal without force, naming the permission and its entry', async () => {
    // Prepare
    const deps = { ...memoryDeps(), functionAccount: ACCOUNT };
    deps.pipeline = {
      ...deps.pipeline,
      operators: [
        ...OPERATORS,
        { principal: 'arn:aws:iam::123456789012:user/carol', may: ['read', 'deploy'] },
      ],
    };
    // Act
    const response = await invokeOperator(deps, loadEvent('operator-url/promote-forced-by-user.json'));
    // Assess
    expect(response).toEqual({
      ok: false,
      kind: 'PermissionRefusedError',
      error:
        'arn:aws:iam::123456789012:user/carol may not force: add force to its entry under operators in ' +
        'pipeline.yml (principal arn:aws:iam::123456789012:user/carol)',
    });
  });

  it('matches an assumed-role session to its role by account and role name, whatever the path', () => {
    const role = readPrincipal('arn:aws:iam::123456789012:role/teams/release-managers');
    const session = (arn: string) => readPrincipal(arn) ?? { kind: 'console' as const };
    expect(role).toBeDefined();
    if (!role) return;
    expect(
      principalMatches(role, session('arn:aws:sts::123456789012:assumed-role/release-managers/bob')),
    ).toBe(true);
    expect(
      principalMatches(role, session('arn:aws:sts::210987654321:assumed-role/release-managers/bob')),
    ).toBe(false);
    expect(principalMatches(role, session('arn:aws:sts::123456789012:assumed-role/developers/bob'))).toBe(
      false,
    );
    expect(principalMatches(role, session('arn:aws:iam::123456789012:user/release-managers'))).toBe(false);
    expect(
      refusal(iam('arn:aws:sts::123456789012:assumed-role/release-managers/bob'), { command: 'decide' }),
    ).toBe('allowed');
    expect(
      refusal(iam('arn:aws:sts::123456789012:assumed-role/release-managers/bob'), {
        command: 'promote',
        force: true,
      }),
    ).toBe(
      'arn:aws:sts::123456789012:assumed-role/release-managers/bob may not force: add force to its entry under ' +
        'operators in pipeline.yml (principal arn:aws:iam::123456789012:role/teams/release-managers)',
    );
  });

  it('lets unlisted callers of the account only read once operators is set, and says what to add', () => {
    const dev = iam('arn:aws:sts::123456789012:assumed-role/developers/dan');
    expect(refusal(dev, { command: 'status' })).toBe('allowed');
    // The release board is a read: whoever may read may look at it.
    expect(refusal(dev, { command: 'board' })).toBe('allowed');
    expect(refusal(dev, { command: 'deploy' })).toBe(
      'arn:aws:sts::123456789012:assumed-role/developers/dan may not deploy: add { principal: ' +
        'arn:aws:iam::123456789012:role/developers, may: [deploy] } under operators in pipeline.yml',
    );
    expect(refusal({ kind: 'console' }, { command: 'decide' })).toBe(
      'a console test event may not decide: list principal: console under operators in pipeline.yml with ' +
        'may: [decide], or use the baton CLI, which signs as you',
    );
    expect(
      refusal({ kind: 'console' }, { command: 'decide' }, [{ principal: 'console', may: ['decide'] }]),
    ).toBe('allowed');
  });

  it('without operators, lets every caller IAM admits run every class, but no other account', () => {
    expect(
      refusal(iam('arn:aws:iam::123456789012:user/dan'), { command: 'promote', force: true }, null),
    ).toBe('allowed');
    expect(refusal({ kind: 'console', note: CONSOLE_IDENTITY }, { command: 'deploy' }, null)).toBe('allowed');
    expect(
      refusal(iam('arn:aws:sts::210987654321:assumed-role/admin/eve'), { command: 'status' }, null),
    ).toBe(
      "arn:aws:sts::210987654321:assumed-role/admin/eve may not read (it belongs to account 210987654321, not to the pipeline's account): " +
        'add { principal: arn:aws:iam::210987654321:role/admin, may: [read] } under operators in pipeline.yml',
    );
  });

  it('reports bad entries in pipeline.yml with their path and rule', () => {
    const raw = {
      version: 1,
      applications: {
        web: {
          codedeployApplication: 'baton-web',
          environments: [{ name: 'dev', deploymentGroup: 'web-dev', enter: { branch: 'main' } }],
        },
      },
      operators: [
        { principal: 'alice', may: ['read'] },
        { principal: 'arn:aws:iam::123456789012:user/alice', may: ['read', 'deploi'] },
        { principal: 'arn:aws:iam::123456789012:user/alice', may: ['read'], mai: [] },
        { principal: 'arn:aws:iam::123456789012:user/alice', may: ['read'] },
      ],
    };
    expect(() => parsePipeline(raw)).toThrow(
      'operators[0].principal: an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME), user ARN, assumed-role ' +
        'session ARN, account root ARN, or console',
    );
    expect(() => parsePipeline(raw)).toThrow(
      'operators[1].may[1]: must be one of read, deploy, decide, force',
    );
    expect(() => parsePipeline(raw)).toThrow('operators[2]: unknown field(s) mai (did you mean may?)');
    expect(() =>
      parsePipeline({ ...raw, operators: [...raw.operators.slice(3), ...raw.operators.slice(3)] }),
    ).toThrow('operators[1].principal: duplicate principal');
  });
});
