// Why each AWS call of a hand-off is made: every call that bench/calls.ts counts must have a reason
// here (test/e2e/round-trips.test.ts fails on one that has none), so RESULTS.md names them all.

/** By step (as bench/calls.ts names it), then by call as counted: `Service.Operation(ledger folder)`. */
export const CALL_REASONS: Record<string, Record<string, string>> = {
  'push main (its artifact not built yet)': {
    'S3.GetObject(expectations)':
      "the environment's expectation: a push older than the one recorded changes nothing",
    'S3.PutObject(expectations)':
      'the commit the environment now expects, written If-Match (or If-None-Match): the newest push wins a race',
    'S3.GetObject(artifacts)': "whether the commit's artifact is already here; then it deploys now",
    'S3.PutObject(pushes)': 'the record of the push, with what Baton did about it (the operator reads it)',
  },
  'artifact upload → deployment (dev)': {
    'S3.HeadObject(object)':
      "the object's version, ETag and metadata (commit, branch): the event has no metadata, and the version deployed is pinned",
    'S3.PutObject(artifacts)':
      'the artifact record, If-None-Match: built once per commit; a rebuilt object is refused here',
    'S3.GetObject(expectations)': 'which commit the branch environment expects: only that one deploys',
    'S3.PutObject(slots)':
      "the group's slot, If-None-Match (one active deployment per group), carrying the request: a launch stopped before its record is recovered from it",
    'S3.PutObject(requests)':
      'the request, If-None-Match, before CreateDeployment: one made and deployed by a duplicate delivery meanwhile is not deployed again',
    'CodeDeploy.CreateDeployment': 'the deployment',
    'S3.PutObject(requests)#2':
      'the request, started, with its deployment (If-Match from the record as created)',
    'S3.PutObject(heads)': 'the latest request started in the environment: queued older ones are superseded',
    'S3.PutObject(deployments)': 'the deployment record the audit and the release flow read',
    'S3.PutObject(slots)#2': 'the slot now names its deployment (audit and reconcile find it by it)',
    'S3.ListObjectsV2(waiting-releases)':
      'release tags pushed before this artifact existed, which wait for it',
  },
  'deployment START → recorded': {
    'S3.PutObject(deployment-states)': "CodeDeploy's state change, first delivery kept (If-None-Match)",
  },
  'finish → verdict (dev)': {
    'S3.PutObject(deployment-states)':
      "CodeDeploy's state change, If-None-Match: its first delivery, which tells the audit none exists yet",
    'S3.GetObject(deployments)':
      'the deployment as Baton started it: environment, artifact, release, request',
    'CodeDeploy.GetDeployment': "CodeDeploy's status and overview of the deployment",
    'CodeDeploy.ListDeploymentTargets': 'every target of the deployment (paged, 100 a page)',
    'CodeDeploy.BatchGetDeploymentTargets': 'each target with its lifecycle events (25 a call)',
    'S3.GetObject(verified)': "the environment's last VERIFIED fleet, to compare with (a fleet that shrank)",
    'S3.PutObject(audits)':
      'the verdict, If-None-Match: one audit per deployment, whoever delivers the event',
    'S3.PutObject(deployments)': 'the verdict on the deployment record, If-Match from the record as read',
    'S3.PutObject(verified)':
      "the environment's newest VERIFIED deployment, If-Match from the pointer as read",
    'S3.DeleteObject(slots)':
      'the group freed (the deployment record says the slot is its own: not read first)',
    'S3.ListObjectsV2(queue)': 'requests queued behind it: the newest starts now',
    'S3.PutObject(audits)#2': 'the follow-up done, If-Match from the audit as written',
  },
  'secrets function URL, during the dev deployment (3 instances)': {
    'CodeDeploy.GetDeployment':
      'the deployment the instance names is in progress, in a group of the pipeline',
    'CodeDeploy.GetDeploymentTarget':
      'the instance is a target of that deployment, in AfterInstall now (a secret is served only then)',
    'SecretsManager.GetSecretValue': "the environment's secrets (cached for the function's life)",
    'S3.PutObject(secret-grants)': 'the grant: who received which secret names (never values), when',
  },
  'tag → release (staging)': {
    'S3.GetObject(artifacts)': "the commit's artifact, which the release carries for good",
    'S3.PutObject(releases)':
      'the release, If-None-Match: a tag binds its commit once; a moved tag is refused',
    'S3.PutObject(timeline)': "the release's timeline: created",
    'S3.GetObject(heads)':
      'the release last started in the environment: an older release never enters after a newer one',
    'S3.PutObject(slots)':
      "the group's slot, If-None-Match, carrying the request (the release is new: no mark is needed)",
    'S3.PutObject(requests)':
      'the request, If-None-Match, before CreateDeployment: a duplicate push that deployed it meanwhile is not deployed again',
    'CodeDeploy.CreateDeployment': 'the deployment',
    'S3.PutObject(requests)#2': 'the request, started, with its deployment (If-Match)',
    'S3.PutObject(heads)': 'the latest request started in the environment, naming the release',
    'S3.PutObject(deployments)': 'the deployment record',
    'S3.PutObject(slots)#2': 'the slot now names its deployment',
    'S3.PutObject(timeline)#2': "the release's timeline: deploy requested",
    'S3.PutObject(pushes)': 'the record of the push',
  },
  'finish → verdict (staging; then the production approval is requested)': {
    'S3.PutObject(deployment-states)': "CodeDeploy's state change, first delivery (If-None-Match)",
    'S3.GetObject(deployments)': 'the deployment as Baton started it',
    'CodeDeploy.GetDeployment': "CodeDeploy's status and overview",
    'CodeDeploy.ListDeploymentTargets': 'every target',
    'CodeDeploy.BatchGetDeploymentTargets': 'each target with its lifecycle events',
    'S3.GetObject(verified)': "the environment's last VERIFIED fleet",
    'S3.PutObject(audits)': 'the verdict, If-None-Match',
    'S3.PutObject(deployments)': 'the verdict on the deployment record, If-Match',
    'S3.PutObject(verified)': "the environment's newest VERIFIED deployment, If-Match",
    'S3.GetObject(releases)': 'the release: its commit, artifact and path (written by another invocation)',
    'S3.ListObjectsV2(timeline)': "the release's timeline entries: forces, and what was observed already",
    'S3.GetObject(timeline)':
      'one timeline entry (one object each: entries are appended once, If-None-Match)',
    'S3.GetObject(requests)':
      "production's request for this release, if any (staging's is taken from the audit, not read)",
    'S3.GetObject(approvals)': "production's approval, if already requested (idempotent across deliveries)",
    'S3.GetObject(heads)': 'the release last started in production: a newer one there blocks this one',
    'S3.PutObject(timeline)': "the timeline: staging's verdict, observed once",
    'S3.PutObject(approvals)': 'the approval, If-None-Match: one per release and environment',
    'S3.ListObjectsV2(approvals-open)':
      "open approvals: an older release's pending approval for production is superseded",
    'S3.PutObject(approval-ids)': "the approval's id index, which its links and the operator use",
    'S3.PutObject(approvals-open)': 'the open marker the reconcile sweep expires it by',
    'SecretsManager.GetSecretValue':
      "the key that signs each approver's link (cached for the function's life)",
    'S3.ListObjectsV2(pushes)':
      "the pushes of the last 30 days (one listing, StartAfter the window's first day): the commits the email lists",
    'S3.GetObject(verified)#2':
      "production's last VERIFIED deployment: the email lists the commits since its release",
    'S3.GetObject(pushes)': 'one of the newest pushes (at most 200): its commits, message and author',
    'SNS.Publish': 'the approval request (one per approver)',
    'S3.PutObject(approvals)#2': 'the approval marked sent, If-Match from the record as created',
    'S3.PutObject(timeline)#2': 'the timeline: approval requested',
    'S3.DeleteObject(slots)': 'the group freed, unread (the slot is its own)',
    'S3.ListObjectsV2(queue)': 'requests queued behind it',
    'S3.PutObject(audits)#2': 'the follow-up done, If-Match',
  },
};

/**
 * The reason for each call of a step, in order; a call repeated in a step takes its `#n` reason when
 * there is one (a second write of the same record kind means something else), else its first.
 */
export const reasonsFor = (step: string, calls: readonly string[]): (string | undefined)[] => {
  const reasons = CALL_REASONS[step] ?? {};
  const seen = new Map<string, number>();
  return calls.map((call) => {
    const n = (seen.get(call) ?? 0) + 1;
    seen.set(call, n);
    return reasons[`${call}#${n}`] ?? reasons[call];
  });
};
