// Shared by the generators: CloudFormation logical ids from pipeline.yml names, ARNs, and the S3
// prefix under which an application's artifacts live.
const sub = (s) => ({ 'Fn::Sub': s });
const arn = (service, resource) =>
  sub(`arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${resource}`);

// Logical ids are alphanumeric: "web-dev" becomes "WebDev". Two names that read the same once their
// punctuation is gone ("web-a", "web_a") would share an id, so that fails the build with both names.
const pascal = (name) =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');

const logicalIds = () => {
  const seen = new Map();
  return (kind, ...names) => {
    const id = `${kind}${names.map(pascal).join('')}`;
    const key = names.join('/');
    const other = seen.get(id);
    if (other !== undefined && other !== key)
      throw new Error(
        `pipeline.yml: "${key}" and "${other}" would share the stack resource ${id}; rename one`,
      );
    seen.set(id, key);
    return id;
  };
};

// The fixed start of an application's keys: artifactPrefix, then artifactKey up to its first
// placeholder other than {application} (for the default layout, artifacts/web/).
const artifactKeyPrefix = (pipeline, appName) => {
  const key = pipeline.applications[appName].artifactKey.replaceAll('{application}', appName);
  return pipeline.artifactPrefix + key.slice(0, key.indexOf('{') < 0 ? key.length : key.indexOf('{'));
};

module.exports = { sub, arn, logicalIds, artifactKeyPrefix };
