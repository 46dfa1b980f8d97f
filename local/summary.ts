// The table `npm start` ends with: environments × releases × verdicts, CodeDeploy's word beside Baton's.
import type { EnvironmentOutcome } from './release-scenario';
import type { LocalStack } from './stack';

const row = (cells: string[], widths: number[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');

export const summaryTable = async (
  stack: LocalStack,
  application: string,
  outcomes: EnvironmentOutcome[],
) => {
  const answer = (await stack.operator({ command: 'releases', application })) as {
    ok: boolean;
    result?: {
      releases: {
        release: string;
        commit: string;
        environments: { environment: string; state: string }[];
        next: string;
      }[];
    };
  };
  const releases = answer.result?.releases ?? [];
  const header = [
    'environment',
    'deployment',
    'CodeDeploy says',
    'Baton verdict',
    ...releases.map((r) => `release ${r.release}`),
  ];
  const rows =
    stack.pipeline.applications[application]?.environments.map((env) => {
      const o = outcomes.find((x) => x.environment === env.name);
      return [
        env.name,
        o?.deploymentId ?? '-',
        o?.codedeployStatus ?? '-',
        o?.verdict ?? '-',
        ...releases.map((r) => r.environments.find((e) => e.environment === env.name)?.state ?? '(branch)'),
      ];
    }) ?? [];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [
    row(header, widths),
    row(
      widths.map((w) => '-'.repeat(w)),
      widths,
    ),
    ...rows.map((r) => row(r, widths)),
    ...releases.map((r) => `release ${r.release} (${r.commit.slice(0, 12)}): next ${r.next}`),
  ];
};
