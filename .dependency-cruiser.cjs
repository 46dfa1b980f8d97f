// Import rules, enforced by `npm test` (scripts/test.sh): production code points one way, and only
// the adapters talk to AWS. Parsed with swc: the TypeScript 7 compiler has no JavaScript API.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle ties modules that should be able to change apart.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'aws-sdk-in-adapters-only',
      severity: 'error',
      comment:
        'Use cases and rules talk to ports; the AWS SDK lives in shared/aws (and local/, cli/, bench/, tests).',
      from: { path: '^(shared|functions)/', pathNot: '^shared/aws/' },
      to: { path: '@aws-sdk/' },
    },
    {
      name: 'production-never-imports-tooling',
      severity: 'error',
      comment: 'What is deployed never depends on the local stack, the CLI, benchmarks or tests.',
      from: { path: '^(shared|functions)/' },
      to: { path: '^(local|cli|bench|test)/' },
    },
    {
      name: 'pure-rules-import-pure-rules',
      severity: 'error',
      comment:
        "A capability's rules/ decide from facts: they import only other rules/ (and plain libraries).",
      from: { path: '^shared/[^/]+/rules/' },
      to: { path: '^(shared|functions|local|cli|bench|test)/', pathNot: '^shared/[^/]+/rules/' },
    },
    {
      name: 'adapters-never-import-use-cases',
      severity: 'error',
      comment:
        'Adapters implement ports; a use case is never their dependency (ports, records and rules are).',
      from: { path: '^shared/aws/' },
      to: {
        path: '^shared/(?!aws/|core/|ledger/)[^/]+/',
        pathNot: '^shared/[^/]+/(rules/|ports\\.ts$|records\\.ts$)',
      },
    },
    {
      name: 'handlers-are-entry-points',
      severity: 'error',
      comment: 'Nothing imports a Lambda handler but the local stack, benchmarks and tests.',
      from: { path: '^(shared|functions)/' },
      to: { path: '^functions/[^/]+/handler\\.ts$' },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
