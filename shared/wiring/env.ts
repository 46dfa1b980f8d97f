// Every environment variable the functions read, each read once, on first use, through requireEnv (which
// names a missing one). A function reads only what it uses: the approval page has no alert topic.
// The SDK clients' own settings (endpoints, BATON_SDK_*) are read where the clients are made, shared/aws.
import { requireEnv } from '../core/env';
import { type Pipeline, parsePipeline } from '../pipeline/rules/config';
import { once } from './once';

const variable = (name: string) => once(() => requireEnv(name));
const optional = (name: string) => once((): string | undefined => process.env[name] || undefined);

export const environment = {
  bucket: variable('BATON_BUCKET'),
  alertTopicArn: variable('BATON_ALERT_TOPIC_ARN'),
  approvalTopicArn: variable('BATON_APPROVAL_TOPIC_ARN'),
  /** The approval page's base URL: the approval function's URL. */
  approvalUrl: variable('BATON_APPROVAL_URL'),
  approvalKeySecretArn: variable('BATON_APPROVAL_KEY_SECRET_ARN'),
  /** The function that audits (deployment-finished), which the operator asks for re-audits. */
  auditFunction: variable('BATON_AUDIT_FUNCTION'),
  /** The function's region (Lambda sets it): the alerts' console links and commands name it. */
  region: optional('AWS_REGION'),
  /** The stage the stack was deployed as (`baton-<stage>`); unset in local runs. */
  stage: optional('BATON_STAGE'),
  /**
   * pipeline.yml. In Lambda bundles esbuild bakes it in at build time as it validated there, defaults
   * filled (serverless.yml's custom.esbuild.define replaces `process.env.BATON_PIPELINE_VALIDATED_JSON`,
   * written out for that reason): read as is, so the bundle leaves the schema out. Local runs and tests
   * set BATON_PIPELINE_JSON, which is validated here.
   */
  pipeline: once(
    (): Pipeline =>
      process.env.BATON_PIPELINE_VALIDATED_JSON
        ? (JSON.parse(process.env.BATON_PIPELINE_VALIDATED_JSON) as Pipeline)
        : parsePipeline(
            JSON.parse(
              requireEnv('BATON_PIPELINE_JSON', { BATON_PIPELINE_JSON: process.env.BATON_PIPELINE_JSON }),
            ),
          ),
  ),
};
