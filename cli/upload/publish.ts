// Build once, upload once: a conditional write (If-None-Match: *) that never replaces an artifact, and
// what an existing one means. CI's policy grants s3:PutObject only, which is all the write needs; the
// comparison with an existing object needs s3:GetObject (HeadObject) and is skipped when refused.

export interface Upload {
  bucket: string;
  key: string;
  body: Uint8Array;
  /** Base64 SHA-256 of the body: sent as x-amz-checksum-sha256, which S3 verifies and keeps. */
  sha256: string;
  metadata: { branch: string; commit: string };
}

export interface Written {
  versionId?: string;
  etag?: string;
}

export interface Existing extends Written {
  sha256?: string;
}

/** The two S3 calls, as an adapter makes them (s3.ts) or a test fakes them. */
export interface ArtifactBucket {
  /** Writes only if no object has the key: undefined when S3 answered 412 (there is one). */
  putIfAbsent(upload: Upload): Promise<Written | undefined>;
  /** The current object's checksum and version; 'forbidden' when the caller may not read it. */
  describe(bucket: string, key: string): Promise<Existing | 'forbidden' | undefined>;
}

export type UploadOutcome =
  | ({ outcome: 'uploaded' } & Written)
  | ({ outcome: 'exists' } & Existing)
  /** There is an object, and it could not be compared: the 412 is all that is known. */
  | { outcome: 'exists-unread' }
  | ({ outcome: 'refused'; reason: string } & Existing);

export const publish = async (bucket: ArtifactBucket, upload: Upload): Promise<UploadOutcome> => {
  const written = await bucket.putIfAbsent(upload);
  if (written) return { outcome: 'uploaded', ...written };
  const existing = await bucket.describe(upload.bucket, upload.key);
  if (existing === 'forbidden') return { outcome: 'exists-unread' };
  // Gone between the 412 and the look: someone deleted it; writing now would hide that.
  if (!existing) return { outcome: 'refused', reason: 'the object answered 412, then was gone' };
  if (existing.sha256 === upload.sha256) return { outcome: 'exists', ...existing };
  return {
    outcome: 'refused',
    reason: existing.sha256
      ? `another artifact is already there for commit ${upload.metadata.commit} (SHA-256 ${existing.sha256}, this one ${upload.sha256}): artifacts are built once`
      : `an artifact without a SHA-256 checksum is already there for commit ${upload.metadata.commit}: artifacts are built once`,
    ...existing,
  };
};
