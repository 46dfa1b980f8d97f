// The operator's synchronous call to the audit function: one attempt (an answer lost after the audit
// ran is not worth a second audit; the operator runs the command again), and a wait longer than
// deployment-finished's own timeout (60 s) and a cold start, within the operator's 90 s (less the key's read).
import { LambdaClient } from '@aws-sdk/client-lambda';
import { clientConfig } from './client-config';

/** How long the operator waits for the audit function's answer. */
export const REAUDIT_WAIT_MS = 75_000;

const base = clientConfig();

export const lambdaInvoker = new LambdaClient({
  ...base,
  maxAttempts: 1,
  requestHandler: { ...base.requestHandler, requestTimeout: REAUDIT_WAIT_MS, socketTimeout: REAUDIT_WAIT_MS },
});
