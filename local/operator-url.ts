// The operator URL's event for local runs: what Lambda would hand the operator for a call signed by a
// fixed local caller, a session of the local account's role local-operator named after the user. Plays
// IAM for this machine only: nothing is signed or verified here.
import { userInfo } from 'node:os';
import { instanceSessionArn } from '../shared/secrets/rules/caller';
import { functionUrlEvent, LOCAL_ACCOUNT } from './secrets-url';

export const LOCAL_OPERATOR_ROLE = 'local-operator';

/** A session name IAM would accept (2-64 of [\w+=,.@-]) from $BATON_OPERATOR, $USER or the login. */
export const localSession = (env: NodeJS.ProcessEnv): string => {
  const name = (env.BATON_OPERATOR || env.USER || userInfo().username).replace(/[^\w+=,.@-]/g, '-');
  return name.padEnd(2, '-').slice(0, 64);
};

export const localOperatorArn = (env: NodeJS.ProcessEnv): string =>
  instanceSessionArn(LOCAL_ACCOUNT, LOCAL_OPERATOR_ROLE, localSession(env));

/** The command as the body of a signed POST to the operator URL, from the local operator. */
export const localOperatorEvent = (command: unknown, env: NodeJS.ProcessEnv) =>
  functionUrlEvent(
    {
      method: 'POST',
      url: '/',
      headers: { host: 'localhost', 'content-type': 'application/json', 'user-agent': 'baton-cli' },
      body: JSON.stringify(command),
    },
    // The event names the session as it would an instance's: role and session name.
    { role: LOCAL_OPERATOR_ROLE, instanceId: localSession(env) },
  );
