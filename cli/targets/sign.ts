// A POST to an AWS_IAM function URL, signed with SigV4 for service `lambda` as the caller: Lambda then
// verifies the signature and hands the operator the signer's ARN (requestContext.authorizer.iam).
import { SignatureV4 } from '@smithy/signature-v4';

type Credentials = ConstructorParameters<typeof SignatureV4>[0]['credentials'];
type Sha256 = ConstructorParameters<typeof SignatureV4>[0]['sha256'];

export interface Signing {
  region: string;
  credentials: Credentials;
  sha256: Sha256;
}

export const signer = (s: Signing) =>
  new SignatureV4({ service: 'lambda', region: s.region, credentials: s.credentials, sha256: s.sha256 });

/** The headers of a signed JSON POST to `url` (host included, which fetch sets to the same value). */
export const signedHeaders = async (
  url: URL,
  body: string,
  s: Signing,
  signingDate?: Date,
): Promise<Record<string, string>> => {
  const signed = await signer(s).sign(
    {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { host: url.host, 'content-type': 'application/json' },
      body,
    },
    signingDate ? { signingDate } : {},
  );
  return signed.headers;
};
