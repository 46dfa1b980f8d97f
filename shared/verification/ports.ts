// The bake's port: CloudWatch's alarms as the bake reads them (aws/cloudwatch-alarms.ts implements it).
import type { AlarmReading } from './rules/bake';

export interface AlarmReader {
  /** DescribeAlarms for these names (metric and composite alarms); a name CloudWatch lacks is left out. */
  read(names: readonly string[]): Promise<AlarmReading[]>;
}
