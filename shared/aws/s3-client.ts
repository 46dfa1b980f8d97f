import { S3Client } from '@aws-sdk/client-s3';
import { clientConfig, s3PathStyle } from './client-config';

export const s3 = new S3Client({ ...clientConfig(), forcePathStyle: s3PathStyle() });
