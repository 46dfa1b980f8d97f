// The wiring: every variable read once, on first use, through the one helper; a missing one fails
// naming it, and only where a function needs it; the graph is built once per container, so two calls
// hand out the same clients, the same approvals and the same release flow.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { samplePipeline } from '../support/fixtures';

const ENV = {
  BATON_BUCKET: 'baton-wiring',
  BATON_PIPELINE_JSON: JSON.stringify(samplePipeline()),
  BATON_ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:baton-alerts',
  BATON_APPROVAL_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:baton-approvals',
  BATON_APPROVAL_URL: 'https://approval.example/',
  BATON_APPROVAL_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:baton-approval-key',
  BATON_AUDIT_FUNCTION: 'baton-dev-deploymentFinished',
};
type Name = keyof typeof ENV;

const original = process.env;
let reads: Record<string, number>;

/** The process environment with ENV (less `without`), counting each read of a wiring variable. */
const environment = (without: Name[] = []) => {
  const env: NodeJS.ProcessEnv = { ...original, ...ENV };
  for (const name of without) delete env[name];
  reads = {};
  process.env = new Proxy(env, {
    get(target, name) {
      if (typeof name === 'string' && name in ENV) reads[name] = (reads[name] ?? 0) + 1;
      return Reflect.get(target, name);
    },
  });
};

// A container's first invocation: fresh modules, nothing built yet.
const wiring = async () => ({
  ...(await import('../../shared/wiring/artifacts')),
  ...(await import('../../shared/wiring/pushes')),
  ...(await import('../../shared/wiring/audit')),
  ...(await import('../../shared/wiring/reconcile')),
  ...(await import('../../shared/wiring/operator')),
  ...(await import('../../shared/wiring/secrets')),
  ...(await import('../../shared/wiring/settling')),
  ...(await import('../../shared/wiring/page')),
  ...(await import('../../shared/wiring/releases')),
});

beforeEach(() => {
  vi.resetModules();
});

afterEach(() => {
  process.env = original;
});

describe('the wiring', () => {
  it('reads each variable once, however many functions are wired and however often', async () => {
    // Prepare
    environment();
    const w = await wiring();
    // Act
    for (let i = 0; i < 2; i++) {
      w.artifactDeps();
      w.sourcePushedDeps();
      w.auditDeps();
      w.reconcileDeps();
      w.operatorDeps('123456789012');
      w.operatorDeps();
      w.secretsDeps('123456789012');
      w.settlingDeps();
      w.pageDeps();
    }
    // Assess
    expect(reads).toEqual(Object.fromEntries(Object.keys(ENV).map((name) => [name, 1])));
  });

  it('reads nothing before a function asks for its deps', async () => {
    environment();
    await wiring();
    expect(reads).toEqual({});
  });

  type Wiring = Awaited<ReturnType<typeof wiring>>;
  it.each<[Name, string, (w: Wiring) => unknown]>([
    ['BATON_ALERT_TOPIC_ARN', 'artifact-uploaded', (w) => w.artifactDeps()],
    ['BATON_APPROVAL_URL', 'source-pushed', (w) => w.sourcePushedDeps()],
    ['BATON_APPROVAL_TOPIC_ARN', 'deployment-finished', (w) => w.auditDeps()],
    ['BATON_APPROVAL_KEY_SECRET_ARN', 'approval-decided', (w) => w.settlingDeps()],
    ['BATON_BUCKET', 'approval', (w) => w.pageDeps()],
    ['BATON_PIPELINE_JSON', 'secrets', (w) => w.secretsDeps('123456789012')],
    ['BATON_AUDIT_FUNCTION', 'operator', (w) => w.operatorDeps()],
  ])('fails naming %s when it is missing (%s)', async (name, _fn, deps) => {
    // Prepare
    environment([name]);
    const w = await wiring();
    const { ConfigError } = await import('../../shared/core/rules/errors');
    // Act
    const building = () => deps(w);
    // Assess
    expect(building).toThrow(ConfigError);
    expect(building).toThrow(`environment variable ${name}: required`);
  });

  it('wires a function without what only others need: the approval page has no alert topic', async () => {
    environment(['BATON_ALERT_TOPIC_ARN', 'BATON_APPROVAL_TOPIC_ARN', 'BATON_APPROVAL_URL']);
    const { pageDeps } = await wiring();
    expect(pageDeps().pipeline.ledgerPrefix).toBe(samplePipeline().ledgerPrefix);
    expect(reads.BATON_ALERT_TOPIC_ARN).toBeUndefined();
  });

  it('builds once per container: two calls hand out the same objects', async () => {
    environment();
    const w = await wiring();
    const [first, second] = [w.auditDeps(), w.auditDeps()];
    expect(second).toBe(first);
    expect(w.artifactDeps()).toBe(w.artifactDeps());
    expect(w.pageDeps()).toBe(w.pageDeps());
  });

  it('shares one store, one deployer, one notifier, one set of approvals and one release flow between functions', async () => {
    environment();
    const w = await wiring();
    const audit = w.auditDeps();
    const pushes = w.sourcePushedDeps();
    const operator = w.operatorDeps('123456789012');
    const settling = w.settlingDeps();
    const { releaseFlow, approvals } = w.releasing();
    expect(pushes.store).toBe(audit.store);
    expect(w.pageDeps().store).toBe(audit.store);
    expect(w.secretsDeps('123456789012').store).toBe(audit.store);
    expect(pushes.deployer).toBe(audit.deployer);
    expect(w.artifactDeps().notifier).toBe(audit.notifier);
    expect(settling.notifier).toBe(audit.notifier);
    expect(pushes.approvals).toBe(approvals);
    expect(operator.approvals).toBe(approvals);
    expect(audit.releaseFlow).toBe(releaseFlow);
    expect(w.secretsDeps('111111111111').secrets).toBe(w.secretsDeps('123456789012').secrets);
  });
});
