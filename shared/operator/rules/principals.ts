// IAM principals as pipeline.yml `operators` names them, and whether a verified caller ARN is one.
// A role is named by its role ARN, but callers sign as sessions of it
// (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION), whose ARN carries neither "iam" nor the role's path:
// a role entry therefore matches on partition, account and role name. That is exact, because IAM keeps
// role names (and user names) unique within an account, paths and letter case aside.

export type Principal =
  | { kind: 'role' | 'user'; partition: string; account: string; name: string }
  | { kind: 'session'; partition: string; account: string; name: string; session: string }
  | { kind: 'root'; partition: string; account: string }
  | { kind: 'console' };

/** The principal of console test events (direct invocations), which carry no caller identity. */
export const CONSOLE_PRINCIPAL = 'console';

const PARTITION = 'aws(?:-cn|-us-gov|-iso|-iso-b)?';
const NAME = '[\\w+=,.@-]{1,64}';
const ROLE_OR_USER = new RegExp(`^arn:(${PARTITION}):iam::(\\d{12}):(role|user)/(?:[!-~]*/)?(${NAME})$`);
const SESSION = new RegExp(`^arn:(${PARTITION}):sts::(\\d{12}):assumed-role/(${NAME})/([\\w+=,.@-]{2,64})$`);
const ROOT = new RegExp(`^arn:(${PARTITION}):iam::(\\d{12}):root$`);

export const PRINCIPAL_RULE =
  'an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME), user ARN, assumed-role session ARN, account root ARN, or console';

export const readPrincipal = (text: string): Principal | undefined => {
  if (text === CONSOLE_PRINCIPAL) return { kind: 'console' };
  const session = SESSION.exec(text);
  if (session) {
    const [, partition = '', account = '', name = '', id = ''] = session;
    return { kind: 'session', partition, account, name, session: id };
  }
  const named = ROLE_OR_USER.exec(text);
  if (named) {
    const [, partition = '', account = '', kind, name = ''] = named;
    return { kind: kind === 'role' ? 'role' : 'user', partition, account, name };
  }
  const root = ROOT.exec(text);
  return root ? { kind: 'root', partition: root[1] ?? '', account: root[2] ?? '' } : undefined;
};

export const accountOf = (p: Principal | undefined): string | undefined =>
  p && p.kind !== 'console' ? p.account : undefined;

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Whether the caller (as Lambda verified it, or the console) is what the entry names. */
export const principalMatches = (entry: Principal, caller: Principal): boolean => {
  if (entry.kind === 'console' || caller.kind === 'console') return entry.kind === caller.kind;
  if (entry.partition !== caller.partition || entry.account !== caller.account) return false;
  switch (entry.kind) {
    case 'root':
      return caller.kind === 'root';
    case 'user':
      return caller.kind === 'user' && same(entry.name, caller.name);
    case 'role':
      return caller.kind === 'session' && same(entry.name, caller.name);
    case 'session':
      return caller.kind === 'session' && same(entry.name, caller.name) && entry.session === caller.session;
  }
};

/** What to list for a caller that has no entry: a session's role, otherwise the caller itself. */
export const entryFor = (callerArn: string, caller: Principal | undefined): string =>
  caller?.kind === 'session'
    ? `arn:${caller.partition}:iam::${caller.account}:role/${caller.name}`
    : callerArn;
