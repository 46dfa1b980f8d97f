// LambdaAliases on AWS Lambda: GetAlias answers the version the alias invokes (FunctionVersion) and
// any weighted routing (RoutingConfig.AdditionalVersionWeights).
import { GetAliasCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { LambdaAliases } from '../core/ports';

export const lambdaAliases = (client: LambdaClient): LambdaAliases => ({
  async routing(functionName, alias) {
    const out = await client.send(new GetAliasCommand({ FunctionName: functionName, Name: alias }));
    if (!out.FunctionVersion)
      throw new Error(`GetAlias ${functionName}:${alias} returned no FunctionVersion`);
    return {
      functionVersion: out.FunctionVersion,
      additionalVersionWeights: out.RoutingConfig?.AdditionalVersionWeights ?? {},
    };
  },
});
