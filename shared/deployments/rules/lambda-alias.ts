// What CodeDeploy can move: an alias on one published version, with all its traffic. The launch refuses
// any other alias (lambda-revisions.ts), `baton doctor` reports it before the first deployment, and the
// audit reads the same words when an alias does not end on the deployed version alone.

/** What GetAlias says of an alias: the version it invokes, and any weighted routing to others. */
export interface AliasRoute {
  functionVersion: string;
  /** RoutingConfig.AdditionalVersionWeights: version to weight, empty when all traffic goes to one. */
  additionalVersionWeights: Record<string, number>;
}

/** The alias's weighted routing in words, or undefined when all its traffic goes to one version. */
export const weightedRouting = (routing: AliasRoute): string | undefined => {
  const weighted = Object.keys(routing.additionalVersionWeights);
  return weighted.length > 0
    ? `routes traffic to version ${weighted.join(', ')} as well (weighted routing)`
    : undefined;
};

/** Why CodeDeploy cannot shift this alias, or undefined when it can. */
export const aliasProblem = (alias: string, routing: AliasRoute): string | undefined => {
  if (!/^[0-9]+$/.test(routing.functionVersion))
    return `the alias ${alias} points to ${routing.functionVersion}, not a published version`;
  const weighted = weightedRouting(routing);
  if (weighted) return `the alias ${alias} ${weighted}: CodeDeploy shifts only an alias on one version`;
  return undefined;
};
