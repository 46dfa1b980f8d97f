// The credential chain the deployed bundles use in place of the SDK's default one
// (@aws-sdk/credential-provider-node, swapped for this module by serverless.yml's esbuild alias).
//
// Lambda hands a function its execution role's credentials in AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (reserved runtime environment variables), so the
// default chain's other links (SSO, ini files, credential processes, web identity, instance
// metadata) never run there. They weigh about 88 KB minified in every bundle, with the STS and SSO
// clients they load. This chain keeps the environment and, after it, the container credentials
// endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI / _RELATIVE_URI), and fails at once, naming both,
// when neither is set. What it finds is kept until five minutes before it expires, as the SDK keeps
// credentials given to a client (the default chain keeps its own the same way). Local runs and tests use the SDK's default chain: they run the sources, not the
// bundles.
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { fromHttp } from '@aws-sdk/credential-provider-http';
import { doesIdentityRequireRefresh, isIdentityExpired, memoizeIdentityProvider } from '@smithy/core';
import type { AwsCredentialIdentityProvider, Logger } from '@smithy/types';

export const NO_CREDENTIALS =
  'No AWS credentials: the function reads those Lambda sets in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY ' +
  'and AWS_SESSION_TOKEN, or a container credentials endpoint in AWS_CONTAINER_CREDENTIALS_FULL_URI or ' +
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, and neither is set';

interface ProviderError extends Error {
  tryNextLink?: boolean;
}

const chain =
  (init: { logger?: Logger }): AwsCredentialIdentityProvider =>
  async (properties) => {
    // fromHttp throws as it is made when no endpoint is set, so each link is made inside the try.
    const links = [() => fromEnv(init), () => fromHttp(init)];
    for (const link of links) {
      try {
        return await link()(properties);
      } catch (error) {
        // A link that is not configured says so (tryNextLink); any other failure is the answer.
        if (!(error as ProviderError).tryNextLink) throw error;
      }
    }
    throw Object.assign(new Error(NO_CREDENTIALS), { name: 'CredentialsProviderError', tryNextLink: false });
  };

/** The same name and signature as the SDK's default provider, which the clients call with their config. */
export const defaultProvider = (init: { logger?: Logger } = {}): AwsCredentialIdentityProvider => {
  const links = chain(init);
  // It answers undefined only when handed no provider.
  return memoizeIdentityProvider(links, isIdentityExpired, doesIdentityRequireRefresh) ?? links;
};
