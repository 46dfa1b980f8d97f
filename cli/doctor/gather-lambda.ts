// Lambda facts: each alias a Lambda environment moves, read through the adapter the launch uses.
import { type LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { lambdaAliases } from '../../shared/aws/lambda-aliases';
import type { AliasFacts } from './facts';
import type { PlannedAlias } from './plan';
import { read } from './read';

/** One GetAlias per function and alias, however many environments name it. */
export const readAliases = (client: LambdaClient, planned: PlannedAlias[]): Promise<AliasFacts[]> => {
  const aliases = lambdaAliases(client);
  const asked = [...new Map(planned.map((p) => [`${p.function}:${p.alias}`, p])).values()];
  return Promise.all(
    asked.map(async (p) => ({
      function: p.function,
      alias: p.alias,
      // Lambda says ResourceNotFoundException of a missing alias and of a missing function alike.
      routing: await read(
        () => aliases.routing(p.function, p.alias),
        (e) => e instanceof ResourceNotFoundException,
        undefined,
      ),
    })),
  );
};
