// Deployment requests on their way: a mark written before a request is recorded and removed once it
// is queued, started or found to be a duplicate. A mark that outlives its invocation lets reconcile
// find a request left pending, without scanning every request ever made.
const safe = (part: string) => encodeURIComponent(part);

export interface OpenRequestMark {
  v: 1;
  requestId: string;
  application: string;
  environment: string;
  at: string;
}

export const openRequestKeys = {
  /** One mark per invocation (its time first): a duplicate delivery never removes another's mark. */
  mark: (app: string, env: string, at: string, id: string) =>
    `open-requests/${safe(app)}/${safe(env)}/${at}_${id}.json`,
  all: () => 'open-requests/',
};
