// The approval links' key, one source per container: its cache lives as long as the container.
import type { TokenKeySource } from '../approvals/rules/token';
import { secretsKeySource } from '../aws/approval-keys';
import { secretsManager } from '../aws/secrets-client';
import { environment } from './env';
import { once } from './once';

export const approvalKeys = once(
  (): TokenKeySource => secretsKeySource(secretsManager, environment.approvalKeySecretArn()),
);
