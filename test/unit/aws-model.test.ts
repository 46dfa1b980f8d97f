// The model validator itself: what it accepts and, above all, that it refuses what the model forbids.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOperation, checkShape, patternOf } from '../support/aws-model';
import { awsModel, shapeOf } from '../support/aws-models';
import { modelStrings } from '../support/aws-strings';

const codedeploy = awsModel('codedeploy');
const info = {
  applicationName: 'shop',
  deploymentGroupName: 'shop-dev',
  deploymentId: 'd-ABCDEFGH12',
  status: 'Succeeded',
  createTime: 1_763_661_600.5,
  deploymentOverview: { Succeeded: 3, Failed: 0 },
  ignoreApplicationStopFailures: false,
  revision: { revisionType: 'S3', s3Location: { bucket: 'b', key: 'k.zip', bundleType: 'zip' } },
};

describe('checkShape', () => {
  it('accepts an output the model allows', () => {
    expect(checkOperation(codedeploy, 'GetDeployment', 'output', { deploymentInfo: info })).toEqual([]);
  });

  it('names the path and the rule of every violation', () => {
    const bad = {
      deploymentInfo: {
        ...info,
        status: 'Done',
        createTime: '2026-11-20T18:00:00Z',
        applicationName: 'a'.repeat(101),
        deploymentOverview: { Succeeded: 1.5 },
        ignoreApplicationStopFailures: 'no',
        revision: { s3Location: { bundleType: 'rar' } },
        invented: 1,
      },
    };

    const problems = checkOperation(codedeploy, 'GetDeployment', 'output', bad);

    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\$\.deploymentInfo\.status: "Done" is not one of Created/),
        expect.stringMatching(/^\$\.deploymentInfo\.createTime: a timestamp/),
        '$.deploymentInfo.applicationName: 101 characters, above the maximum 100',
        '$.deploymentInfo.deploymentOverview.Succeeded: a whole number, not 1.5',
        '$.deploymentInfo.ignoreApplicationStopFailures: a boolean, not string',
        expect.stringMatching(/^\$\.deploymentInfo\.revision\.s3Location\.bundleType: "rar"/),
        '$.deploymentInfo: invented is not a member of DeploymentInfo',
      ]),
    );
    expect(problems).toHaveLength(7);
  });

  it('refuses missing required members, wrong lists and maps, and unknown operations', () => {
    expect(checkOperation(codedeploy, 'BatchGetDeploymentTargets', 'input', { targetIds: 'i-1' })).toEqual([
      '$: required member deploymentId is missing',
      '$.targetIds: a list TargetIdList',
    ]);
    expect(
      checkOperation(codedeploy, 'ListDeploymentTargets', 'input', {
        deploymentId: 'd-1',
        targetFilters: { NoSuchFilter: ['x'], TargetStatus: 'Failed' },
      }),
    ).toEqual([
      expect.stringMatching(/targetFilters\{key "NoSuchFilter"\}: "NoSuchFilter" is not one of/),
      '$.targetFilters.TargetStatus: a list FilterValueList',
    ]);
    expect(checkOperation(codedeploy, 'NoSuchOperation', 'input', {})).toEqual([
      'the model has no operation NoSuchOperation',
    ]);
  });

  it('applies patterns and lower bounds (CodeCommit repository names, STS session names)', () => {
    const codecommit = awsModel('codecommit');
    const sts = awsModel('sts');

    expect(checkShape(codecommit, 'RepositoryName', 'my_repo.v2')).toEqual([]);
    expect(checkShape(codecommit, 'RepositoryName', 'my repo')).toEqual([
      '$: does not match the pattern [\\w\\.-]+',
    ]);
    expect(checkShape(sts, 'roleSessionNameType', 'i')).toEqual(['$: 1 characters, below the minimum 2']);
  });
});

describe('modelStrings', () => {
  it('generates only strings the model accepts, for patterned and free shapes', () => {
    const codecommit = awsModel('codecommit');
    for (const [model, name] of [
      [codecommit, 'RepositoryName'],
      [codedeploy, 'ApplicationName'],
      [codedeploy, 'DeploymentId'],
    ] as const) {
      fc.assert(
        fc.property(
          modelStrings(shapeOf(model === codedeploy ? 'codedeploy' : 'codecommit', name), 64),
          (s) => {
            expect(checkShape(model, name, s)).toEqual([]);
          },
        ),
        { numRuns: 100 },
      );
    }
  });

  it('reads Java-style patterns with escapes that JavaScript only takes outside unicode mode', () => {
    expect(patternOf('^[a-zA-Z0-9\\-\\_]+$').test('a_b-c')).toBe(true);
  });
});
