// The operator's synchronous call to the audit function: one attempt (an answer lost after the audit
// ran is not worth a second audit; the operator runs the command again), and as long a wait as an
// audit may take within the operator's own 60 s.
import { LambdaClient } from '@aws-sdk/client-lambda';
import { clientConfig } from './client-config';

/** How long the operator waits for the audit function's answer. */
export const REAUDIT_WAIT_MS = 50_000;

const base = clientConfig();

export const lambdaInvoker = new LambdaClient({
  ...base,
  maxAttempts: 1,
  requestHandler: { ...base.requestHandler, requestTimeout: REAUDIT_WAIT_MS, socketTimeout: REAUDIT_WAIT_MS },
});
