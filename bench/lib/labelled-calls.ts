// Every AWS call the functions make on the local stack, labelled with the event delivery that made it.
// The functions' clients are the module-scope singletons of shared/aws/*-client.ts; they read
// the endpoints from process.env when created, so this must run after startLocalStack() set them.
// Deliveries go through stack.router.deliver, which is wrapped to run each in its own async context;
// calls outside any delivery (the secrets and approval function URLs) are left unlabelled.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { LocalStack } from '../../local/stack';
import { watchCalls } from './count-calls';

export interface Label {
  route: string;
  delivery: number;
  /** What the event was about: the ref pushed, the object key, "<deployment id> <state>". */
  about: string;
}

export interface Call {
  /** "Service.Operation", S3 calls with the ledger folder or "object" they touched. */
  call: string;
  key?: string;
  label?: Label;
}

const at = (value: unknown, path: string[]): unknown =>
  path.reduce<unknown>(
    (v, p) =>
      typeof v === 'object' && v !== null ? Object.getOwnPropertyDescriptor(v, p)?.value : undefined,
    value,
  );
const text = (value: unknown, path: string[]) => {
  const found = at(value, path);
  return typeof found === 'string' ? found : '';
};

const aboutEvent = (event: unknown): string =>
  text(event, ['detail', 'referenceFullName']) ||
  text(event, ['detail', 'object', 'key']) ||
  `${text(event, ['detail', 'deploymentId'])} ${text(event, ['detail', 'state'])}`.trim();

export const labelCalls = async (stack: LocalStack): Promise<Call[]> => {
  const [{ s3 }, { codedeploy }, { sns }, { secretsManager }] = await Promise.all([
    import('../../shared/aws/s3-client'),
    import('../../shared/aws/codedeploy-client'),
    import('../../shared/aws/sns-client'),
    import('../../shared/aws/secrets-client'),
  ]);
  const context = new AsyncLocalStorage<Label>();
  const calls: Call[] = [];
  const prefix = stack.pipeline.ledgerPrefix;
  const record = (call: string, input: unknown) => {
    const key = text(input, ['Key']) || text(input, ['Prefix']);
    const where = !key ? '' : key.startsWith(prefix) ? key.slice(prefix.length).split('/')[0] : 'object';
    calls.push({
      call: where ? `${call}(${where})` : call,
      ...(key ? { key } : {}),
      ...(context.getStore() ? { label: context.getStore() } : {}),
    });
  };
  watchCalls('S3', s3, record);
  watchCalls('CodeDeploy', codedeploy, record);
  watchCalls('SNS', sns, record);
  watchCalls('SecretsManager', secretsManager, record);

  let deliveries = 0;
  const deliver = stack.router.deliver.bind(stack.router);
  stack.router.deliver = (route, event) =>
    context.run({ route, delivery: ++deliveries, about: aboutEvent(event) }, () => deliver(route, event));
  return calls;
};

/** The calls of the first delivery on `route` about `about`. */
export const callsOf = (calls: Call[], route: string, about: string): Call[] => {
  const first = calls.find((c) => c.label?.route === route && c.label.about === about)?.label?.delivery;
  return calls.filter((c) => first !== undefined && c.label?.delivery === first);
};
