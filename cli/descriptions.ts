// Words for --help: what each operator command does, what each of its fields means, and examples.
// The flags themselves come from the operator's schemas (flags.ts); a test checks every field has words here.

export const SUMMARIES: Record<string, string> = {
  status: 'per environment: the latest deployment and its verdict, the one in flight, the queue',
  releases: 'each release and where it stands in every environment of its path; one release: its timeline',
  watch:
    'follow a deployment, or the newest of a release, until its verdict: targets, lifecycle events, the failing log tail; exit 0 only on VERIFIED',
  history:
    "an application's deployments, newest first: CodeDeploy's status, Baton's verdict, who started each, how long it took",
  metrics:
    'delivery metrics per environment over a window (default the last 30 days): deployment frequency, lead time from commit, change failure rate, time to restore',
  deploy: 'put a recorded artifact (by commit or artifact key) into an environment by hand',
  promote: 'move a release into an environment through its gates, or past them with --force and a reason',
  audit: "read a deployment's evidence again, record the new verdict and print the report",
  approvals: 'the approvals waiting for a decision, with their approvers and expiry',
  decide: 'approve or reject a waiting approval as an operator, with a comment',
  retry:
    'deploy the same artifact again into an environment whose last deployment was PARTIAL, FAILED or INCOMPLETE, through its gates',
  rollback: "deploy an environment's last VERIFIED revision again, recorded with who and why",
  stop: 'stop a deployment in flight (optionally with CodeDeploy rolling it back), recording who and why',
  'secrets-check':
    "which secrets an environment's instances would receive and whether each exists (names only)",
  board:
    'the release board as a page: every environment with its release, verdict, instances, flight, approvals, and the timeline; written to a file and opened',
};

/** By field name; `command.field` overrides for one command. */
export const FIELD_WORDS: Record<string, string> = {
  application: 'the application in pipeline.yml',
  environment: 'the environment, as named in pipeline.yml',
  commit: 'a commit id, or its first digits where no other commit starts so (4 to 64 hex digits)',
  'deploy.commit': 'the commit whose recorded artifact to deploy (or --artifact-key)',
  'deploy.artifactKey': 'the artifact object key, e.g. artifacts/web/<commit>.zip (or --commit)',
  'promote.commit': 'the commit of the release (or --release)',
  release: 'the release tag, e.g. v1.2.0',
  'promote.release': 'the release tag to promote (or --commit)',
  'releases.release': 'show only this release, with its whole timeline',
  force: "skip the environment's gates (previous verdict, approval); needs --reason and the force permission",
  'decide.force': 'settle the approval alone instead of counting as one approval; needs the force permission',
  reason: 'why the gates are skipped; kept on the release timeline',
  limit: 'how many releases to show, newest first',
  deploymentId: 'a CodeDeploy deployment id, e.g. d-A1B2C3D4E',
  approvalId: 'the approval id (20 hex characters, see `baton approvals`)',
  decision: 'approve or reject',
  comment: 'why; kept with the decision',
  'approvals.application': 'only the approvals of this application',
  'stop.deploymentId': 'the CodeDeploy deployment to stop, e.g. d-A1B2C3D4E',
  'stop.reason': 'why it is stopped; kept with the stop and in the audit of the deployment',
  'retry.reason': 'why; kept on the release timeline, or in the deployment cause (optional)',
  'watch.deploymentId': 'the deployment to follow, e.g. d-A1B2C3D4E (or --release)',
  'watch.release': 'the release to follow, through each environment it deploys to (with --app)',
  'watch.application': 'the application of --release',
  'board.application': 'only the board of this application (default: every application)',
  'history.environment': 'only the deployments of this environment',
  'history.limit': 'how many deployments to show, newest first',
  'rollback.reason':
    'why; kept with the rollback, in the deployment cause and on the release timeline (optional)',
  'metrics.application': 'only this application (default: every application in pipeline.yml)',
  'metrics.since':
    'where the window starts: an ISO date or date and time (UTC unless it says), or a duration back from now such as 7d, 24h or 90m (default 30d)',
  autoRollback:
    "have CodeDeploy roll the group back to its last successful revision (CodeDeploy's own rollback)",
};

export const EXAMPLES: Record<string, string[]> = {
  status: ['baton status --app web'],
  releases: ['baton releases --app web', 'baton releases --app web --release v1.2.0'],
  deploy: ['baton deploy --app web --env staging --commit 3f786850e387'],
  promote: [
    'baton promote --app web --release v1.2.0 --env production',
    'baton promote --app web --release v1.2.0 --env production --force --reason "hotfix, approver away"',
  ],
  audit: ['baton audit --deployment-id d-7Q4BZ2K1X'],
  approvals: ['baton approvals', 'baton approvals --app web'],
  decide: ['baton decide --approval-id 84906058d7afd6172731 --decision approve --comment "release call"'],
  'secrets-check': ['baton secrets-check --app web --env staging'],
  retry: ['baton retry web staging', 'baton retry --app web --env production --reason "load balancer fixed"'],
  watch: ['baton watch d-7Q4BZ2K1X', 'baton watch v1.2.0 --app web'],
  history: ['baton history web', 'baton history web production --limit 5'],
  metrics: ['baton metrics', 'baton metrics web --since 7d', 'baton metrics web --since 2026-11-01'],
  rollback: ['baton rollback web production --reason "v1.3.0 breaks the checkout"'],
  board: ['baton board --stage prod', 'baton board --stage prod --app web'],
  stop: [
    'baton stop d-7Q4BZ2K1X --reason "wrong config in this build"',
    'baton stop d-7Q4BZ2K1X --reason "health checks failing" --auto-rollback',
  ],
};

/** Short flags for the fields every operator types most. */
export const ALIASES: Record<string, string[]> = {
  application: ['app'],
  environment: ['env'],
};

/** Fields a command also takes as bare words, in this order: `baton stop d-A1B2C3D4E`. */
export const POSITIONAL: Record<string, string[]> = {
  stop: ['deploymentId'],
  retry: ['application', 'environment'],
  rollback: ['application', 'environment'],
  history: ['application', 'environment'],
  metrics: ['application'],
  watch: ['deploymentId'],
};

/** A command's one bare word that names either of two fields: which one, by its shape. */
export const BARE_WORD: Record<string, (word: string) => string> = {
  // CodeDeploy's ids are d- and 9 characters; anything else is a release tag.
  watch: (word) => (/^d-[A-Z0-9]{9}$/.test(word) ? 'deploymentId' : 'release'),
};

/** `baton board`'s own flags: the page's, not the operator command's. */
export const BOARD_FLAGS = [
  '  --out <file>  where to write the page (default baton-board.html in the current folder)',
  '  --no-open     only write it; by default it is opened with xdg-open (open on macOS)',
];
