// In-memory deps for the fuzz tests, one fresh set per event: a MemoryStore ledger, recording fakes, the
// real approvals use case whose key is the canary, and the real AWS adapters on SDK clients that the
// test files mock with aws-sdk-client-mock.
import { Readable } from 'node:stream';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type ApprovalDeps, approvals } from '../../shared/approvals/approvals';
import type { ArtifactDeps } from '../../shared/artifacts/artifact-uploaded';
import type { AuditDeps } from '../../shared/audit/audit';
import { codedeployReader } from '../../shared/aws/codedeploy-reader';
import { codedeployTargets } from '../../shared/aws/codedeploy-targets';
import { s3Artifacts } from '../../shared/aws/s3-artifacts';
import { secretValues } from '../../shared/aws/secret-values';
import type { ReleaseFlow } from '../../shared/core/ports';
import { MemoryStore } from '../../shared/ledger/memory-store';
import type { OperatorDeps } from '../../shared/operator/commands';
import type { SourcePushedDeps } from '../../shared/pushes/source-pushed';
import { releaseFlow } from '../../shared/releases/promotion';
import type { SecretsDeps } from '../../shared/secrets/secrets';
import { ManualClock, RecordingNotifier, RecordingReleaseFlow } from './approvals';
import { FakeReader, NO_METRICS } from './audit';
import { CapturingLog, FakeDeployer, samplePipeline } from './fixtures';
import { CANARY_KEY } from './model-fuzz';
import { APPROVAL_TOPIC, PAGE_URL } from './model-world';
import { reauditingOn } from './reauditing';
import { ALERTS } from './releases';
import { describedSecret } from './secret-metadata';
import { ACCOUNT } from './secrets';

const pipeline = samplePipeline();
const region = { region: 'us-east-1' };

/** The ledger as one text, to look for the canary in. */
export class MemoryStoreWithText extends MemoryStore {
  text = () => [...this.records].map(([k, v]) => `${k} ${v.body}`).join('\n');
  /** A fresh store holding the same records (new ETags), so each event meets the same ledger. */
  async copy(): Promise<MemoryStoreWithText> {
    const copy = new MemoryStoreWithText();
    for (const [key, { body }] of this.records) await copy.put(key, JSON.parse(body));
    return copy;
  }
}

const core = () => ({
  pipeline,
  store: new MemoryStoreWithText(),
  clock: new ManualClock(),
  log: new CapturingLog(),
});

/** Deploying, approving and advancing releases as the event-driven functions do, key = canary. */
const deploying = () => {
  const c = core();
  const notifier = new RecordingNotifier();
  let flow: ReleaseFlow | undefined;
  const approvalDeps = {
    ...c,
    notifier,
    alertTopicArn: ALERTS,
    releaseFlow: {
      advance: (a: string, r: string, t: string) => (flow ? flow.advance(a, r, t) : Promise.resolve()),
    },
    keys: async () => ({ current: CANARY_KEY }),
    approvalTopicArn: APPROVAL_TOPIC,
    approvalUrl: PAGE_URL,
  };
  const deployer = new FakeDeployer();
  const promotion = { ...c, deployer, approvals: approvals(approvalDeps) };
  flow = releaseFlow(promotion);
  return { ...promotion, notifier, flow, approvalDeps };
};

/**
 * S3 through the whole SDK stack (serialising, signing, parsing), answering 404 to every HeadObject: the
 * object is gone. A mocked `send` would skip the serialiser, where a malformed key can throw.
 */
const goneS3 = () =>
  new S3Client({
    ...region,
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIAFUZZ', secretAccessKey: 'fuzz' },
    requestHandler: {
      handle: async () => ({ response: { statusCode: 404, headers: {}, body: Readable.from([]) } }),
    },
  });

export const eventDeps = () => {
  const d = deploying();
  const artifact: ArtifactDeps = { ...d, artifacts: s3Artifacts(goneS3()), alertTopicArn: ALERTS };
  const push: SourcePushedDeps = { ...d, alertTopicArn: ALERTS };
  const audit: AuditDeps = {
    ...d,
    reader: codedeployReader(new CodeDeployClient(region), { sleep: async () => undefined }),
    alertTopicArn: ALERTS,
    metrics: NO_METRICS,
    releaseFlow: d.flow,
  };
  return { artifact, push, audit, store: d.store, log: d.log, deployer: d.deployer, notifier: d.notifier };
};

/** The approval function's deps: the canary key signs; the sample events' links verify with the previous key. */
export const pageDeps = (
  sampleKey: Uint8Array,
  store = new MemoryStoreWithText(),
): ApprovalDeps & {
  store: MemoryStoreWithText;
  log: CapturingLog;
  notifier: RecordingNotifier;
  releaseFlow: RecordingReleaseFlow;
} => ({
  ...core(),
  store,
  notifier: new RecordingNotifier(),
  alertTopicArn: ALERTS,
  releaseFlow: new RecordingReleaseFlow(),
  keys: async () => ({ current: CANARY_KEY, previous: sampleKey }),
  approvalTopicArn: APPROVAL_TOPIC,
  approvalUrl: PAGE_URL,
});

export const secretsDeps = (): SecretsDeps & { store: MemoryStoreWithText; log: CapturingLog } => ({
  ...core(),
  functionAccount: ACCOUNT,
  targets: codedeployTargets(new CodeDeployClient(region)),
  secrets: secretValues(new SecretsManagerClient(region)),
});

/** Every secret exists, for the operator's secrets-check (which reads metadata, never a value). */
const everySecret = { describe: async (secretId: string) => describedSecret(secretId) };

export const operatorDeps = () => {
  const d = deploying();
  const reader = new FakeReader();
  const deps: OperatorDeps = {
    ...d,
    secretMetadata: everySecret,
    auditing: { reader },
    reauditing: reauditingOn(
      { ...d, reader, notifier: d.notifier, alertTopicArn: ALERTS, metrics: NO_METRICS },
      async () => ({ current: CANARY_KEY }),
    ),
    deciding: { notifier: d.notifier, alertTopicArn: ALERTS },
    alerts: { notifier: d.notifier, alertTopicArn: ALERTS },
  };
  return { deps, store: d.store, log: d.log, deployer: d.deployer, notifier: d.notifier };
};
