// The stage's stack, found through CloudFormation (baton-<stage>): its status, resources and outputs.
// Doctor finds every other resource through it rather than guessing names.
import {
  CloudFormationServiceException,
  DescribeStacksCommand,
  paginateListStackResources,
} from '@aws-sdk/client-cloudformation';
import { systemCode, UnreachableError } from '../errors';
import type { DoctorClients } from './clients';
import type { StackFacts } from './facts';

/** Why the stage cannot be looked at at all: exit 3, as for any target the CLI cannot reach. */
export const explainUnreachable = (error: unknown, stackName: string, region: string | undefined) => {
  const said = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const where = `${stackName}${region ? ` in ${region}` : ''}`;
  // DescribeStacks models no not-found error: CloudFormation answers ValidationError "… does not exist".
  if (error instanceof CloudFormationServiceException && /does not exist/.test(error.message))
    return new UnreachableError(
      `there is no stack ${where}: is the stage deployed? check --stage and --region`,
    );
  if (error instanceof Error && error.name === 'CredentialsProviderError')
    return new UnreachableError(
      'no AWS credentials found: set AWS_PROFILE or pass --profile, or run aws configure / aws sso login',
      { cause: error },
    );
  if (error instanceof Error && /region is missing/i.test(error.message))
    return new UnreachableError('no AWS region: pass --region or set AWS_REGION', { cause: error });
  const code = systemCode(error);
  if (code)
    return new UnreachableError(`could not reach CloudFormation for ${where} (${code}): check your network`, {
      cause: error,
    });
  return new UnreachableError(`could not read the stack ${where}: ${said}`, { cause: error });
};

export const readStack = async (clients: DoctorClients, stackName: string): Promise<StackFacts> => {
  const cfn = clients.cloudformation;
  let region: string | undefined;
  try {
    region = await cfn.config.region();
    const { Stacks = [] } = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = Stacks[0];
    if (!stack) throw new UnreachableError(`there is no stack ${stackName} in ${region}`);
    // arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<id>
    const [, partition = 'aws', , stackRegion = region, account = ''] = (stack.StackId ?? '').split(':');
    const resources: StackFacts['resources'] = {};
    for await (const page of paginateListStackResources({ client: cfn }, { StackName: stackName }))
      for (const r of page.StackResourceSummaries ?? [])
        if (r.LogicalResourceId && r.PhysicalResourceId)
          resources[r.LogicalResourceId] = { type: r.ResourceType ?? '', physicalId: r.PhysicalResourceId };
    const outputs = Object.fromEntries(
      (stack.Outputs ?? []).flatMap((o) =>
        o.OutputKey && o.OutputValue ? [[o.OutputKey, o.OutputValue]] : [],
      ),
    );
    return {
      name: stackName,
      status: stack.StackStatus ?? 'UNKNOWN',
      region: stackRegion,
      account,
      partition,
      resources,
      outputs,
    };
  } catch (error) {
    if (error instanceof UnreachableError) throw error;
    throw explainUnreachable(error, stackName, region);
  }
};
