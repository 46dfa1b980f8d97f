// What CodeDeploy can move: an alias on one published version, with all its traffic. The launch refuses
// any other alias (lambda-revisions.ts), and `baton doctor` reports it before the first deployment.

/** What GetAlias says of an alias: the version it invokes, and any weighted routing to others. */
export interface AliasRoute {
  functionVersion: string;
  /** RoutingConfig.AdditionalVersionWeights: version to weight, empty when all traffic goes to one. */
  additionalVersionWeights: Record<string, number>;
}

/** Why CodeDeploy cannot shift this alias, or undefined when it can. */
export const aliasProblem = (alias: string, routing: AliasRoute): string | undefined => {
  if (!/^[0-9]+$/.test(routing.functionVersion))
    return `the alias ${alias} points to ${routing.functionVersion}, not a published version`;
  const weighted = Object.keys(routing.additionalVersionWeights);
  if (weighted.length > 0)
    return `the alias ${alias} routes traffic to version ${weighted.join(', ')} as well (weighted routing): CodeDeploy shifts only an alias on one version`;
  return undefined;
};
