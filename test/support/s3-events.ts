// S3 "Object Created" as EventBridge delivers it (events/eventbridge/s3-object-created.json), for any object.
import { loadEvent } from './fixtures';

export interface CreatedObject {
  key: string;
  size?: number;
  etag?: string;
  'version-id'?: string;
}

export const objectCreatedEvent = (bucket: string, object: CreatedObject) => {
  const event = loadEvent<{ detail: { bucket: { name: string }; object: CreatedObject } }>(
    'eventbridge/s3-object-created.json',
  );
  event.detail.bucket.name = bucket;
  event.detail.object = object;
  return event;
};
