// Deployment requests on their way: a mark written before a request is recorded and removed once it
// is queued, started or found to be a duplicate. A mark that outlives its invocation lets reconcile
// find a request left pending, without scanning every request ever made.

export interface OpenRequestMark {
  v: 1;
  requestId: string;
  application: string;
  environment: string;
  at: string;
}
