// The credential chain the deployed bundles use in place of the SDK's default one
// (@aws-sdk/credential-provider-node, swapped for this module by serverless.yml's esbuild alias).
//
// Lambda hands a function its execution role's credentials in AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (reserved runtime environment variables), so the
// default chain's other links (SSO, ini files, credential processes, web identity, instance
// metadata) never run there. With the STS and SSO clients they load, they weigh 97–103 KB minified
// in every bundle (bench/RESULTS.md). This chain reads the environment, else the container
// credentials endpoint that AWS_CONTAINER_CREDENTIALS_FULL_URI or _RELATIVE_URI names (whose own
// error then stands: an endpoint that is set and fails says why), and with neither fails at once,
// naming both. Credentials that expire are kept as the default chain keeps them: refreshed in the
// background in their last five minutes (a failed refresh leaves them in use until they expire),
// and waited for once expired. Local runs and tests use the SDK's default chain: they run the
// sources, not the bundles.
import { ENV_KEY, ENV_SECRET, fromEnv } from '@aws-sdk/credential-provider-env';
import { fromHttp } from '@aws-sdk/credential-provider-http';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Logger } from '@smithy/types';

export const NO_CREDENTIALS =
  'No AWS credentials: the function reads those Lambda sets in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY ' +
  'and AWS_SESSION_TOKEN, or a container credentials endpoint in AWS_CONTAINER_CREDENTIALS_FULL_URI or ' +
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, and neither is set';

const CONTAINER_URIS = ['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'];

/** As the default chain's: credentials this close to their expiration are refreshed. */
export const REFRESH_BEFORE_MS = 300_000;

type Properties = Parameters<AwsCredentialIdentityProvider>[0] & { forceRefresh?: boolean };

const resolve = (init: { logger?: Logger }): AwsCredentialIdentityProvider => {
  const env = process.env;
  if (env[ENV_KEY] && env[ENV_SECRET]) return fromEnv(init);
  if (CONTAINER_URIS.some((name) => env[name])) return fromHttp(init);
  return async () => {
    throw Object.assign(new Error(NO_CREDENTIALS), { name: 'CredentialsProviderError', tryNextLink: false });
  };
};

/** The same name and signature as the SDK's default provider, which the clients call with their config. */
export const defaultProvider = (init: { logger?: Logger } = {}): AwsCredentialIdentityProvider => {
  let current: AwsCredentialIdentity | undefined;
  let refreshing: Promise<AwsCredentialIdentity> | undefined;
  const refresh = (properties?: Properties) => {
    // Made inside the promise: a link that throws as it is made (fromHttp refusing its URL) rejects.
    refreshing ??= Promise.resolve()
      .then(() => resolve(init)(properties))
      .then((found) => {
        current = found;
        return found;
      })
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  };
  return async (properties?: Properties) => {
    if (!current || properties?.forceRefresh) return refresh(properties);
    const left = current.expiration ? current.expiration.getTime() - Date.now() : Number.POSITIVE_INFINITY;
    if (left > REFRESH_BEFORE_MS) return current;
    if (left <= 0) return refresh(properties);
    // Still valid: served while a refresh runs; should it fail, the next call tries again.
    refresh(properties).catch(() => undefined);
    return current;
  };
};
