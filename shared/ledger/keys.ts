// Where each record lives under the ledger prefix. Keys sort by time where order matters.
const safe = (part: string) => encodeURIComponent(part);

export const keys = {
  artifact: (app: string, commit: string) => `artifacts/${safe(app)}/${safe(commit)}.json`,
  artifacts: (app: string) => `artifacts/${safe(app)}/`,
  request: (app: string, env: string, id: string) => `requests/${safe(app)}/${safe(env)}/${id}.json`,
  requests: (app: string, env: string) => `requests/${safe(app)}/${safe(env)}/`,
  queueEntry: (app: string, env: string, requestedAt: string, id: string) =>
    `queue/${safe(app)}/${safe(env)}/${requestedAt}_${id}.json`,
  queue: (app: string, env: string) => `queue/${safe(app)}/${safe(env)}/`,
  slot: (app: string, env: string) => `slots/${safe(app)}/${safe(env)}.json`,
  head: (app: string, env: string) => `heads/${safe(app)}/${safe(env)}.json`,
  deployment: (id: string) => `deployments/${safe(id)}.json`,
  deployments: () => 'deployments/',
  rejection: (at: string, id: string) => `rejected/${at.slice(0, 10)}/${at}_${id}.json`,
  rejections: () => 'rejected/',
  /** One per cause of a refusal that alerted (see usecases/rejection-alerts.ts). */
  rejectionAlert: (id: string) => `rejection-alerts/${id}.json`,
  /** One per GitHub delivery taken (X-GitHub-Delivery): a replay finds it there. */
  githubDelivery: (id: string) => `github-deliveries/${safe(id)}.json`,
};
