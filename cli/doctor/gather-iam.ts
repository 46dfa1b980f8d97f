// IAM facts: every statement of each instance role's inline and attached policies (read-only calls).
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  type IAMClient,
  NoSuchEntityException,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
} from '@aws-sdk/client-iam';
import type { PolicyStatement, RoleFacts } from './facts';
import { statementsOf } from './policy';
import { read } from './read';

const inline = async (iam: IAMClient, RoleName: string): Promise<string[]> => {
  const documents: string[] = [];
  for await (const page of paginateListRolePolicies({ client: iam }, { RoleName }))
    for (const PolicyName of page.PolicyNames ?? []) {
      const { PolicyDocument } = await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }));
      if (PolicyDocument) documents.push(PolicyDocument);
    }
  return documents;
};

const attached = async (iam: IAMClient, RoleName: string): Promise<string[]> => {
  const documents: string[] = [];
  for await (const page of paginateListAttachedRolePolicies({ client: iam }, { RoleName }))
    for (const { PolicyArn } of page.AttachedPolicies ?? []) {
      const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn }));
      const VersionId = Policy?.DefaultVersionId;
      if (!VersionId) continue;
      const { PolicyVersion } = await iam.send(new GetPolicyVersionCommand({ PolicyArn, VersionId }));
      if (PolicyVersion?.Document) documents.push(PolicyVersion.Document);
    }
  return documents;
};

const roleStatements = async (iam: IAMClient, RoleName: string): Promise<PolicyStatement[]> => {
  await iam.send(new GetRoleCommand({ RoleName }));
  const documents = [...(await inline(iam, RoleName)), ...(await attached(iam, RoleName))];
  return documents.flatMap(statementsOf);
};

export const readRoles = (iam: IAMClient, roles: string[]): Promise<RoleFacts[]> =>
  Promise.all(
    [...new Set(roles)].map(async (role) => ({
      role,
      statements: await read<PolicyStatement[] | undefined>(
        () => roleStatements(iam, role),
        (e) => e instanceof NoSuchEntityException,
        undefined,
      ),
    })),
  );
