// The model world's CodeDeploy: one port for starting deployments (Deployer) and one for reading them
// back (the audit's DeploymentReader). Like CodeDeploy it allows one active deployment per group and
// refuses a second with GroupBusyError; unlike CodeDeploy it keeps a record of every such refusal,
// because in the model nobody but Baton deploys, so a refusal means Baton lost track of its group.

import type { DeploymentReader } from '../../shared/audit/ports';
import type { DeploymentFacts, LifecycleStep, Target, TargetStatus } from '../../shared/audit/rules/evidence';
import type { CreateDeploymentInput, Deployer } from '../../shared/core/ports';
import { GroupBusyError, NotFoundError } from '../../shared/core/rules/errors';

/** The built-in configurations and their minimum-healthy-hosts rules (CodeDeploy user guide). */
export type DeploymentConfig =
  | 'CodeDeployDefault.AllAtOnce'
  | 'CodeDeployDefault.HalfAtATime'
  | 'CodeDeployDefault.OneAtATime';

export interface ModelDeployment {
  id: string;
  input: CreateDeploymentInput;
  config: DeploymentConfig;
  status: 'InProgress' | 'Succeeded' | 'Failed' | 'Stopped';
  targets: { id: string; status: TargetStatus }[];
  /** Targets CodeDeploy counts in its overview but does not list (evidence that went missing). */
  hidden: number;
  createdAt: string;
  completedAt?: string;
}

export interface FinishPlan {
  /** The final status of each listed target. */
  targets: TargetStatus[];
  hidden: number;
  stop: boolean;
}

const EVENTS = ['DownloadBundle', 'BeforeInstall', 'Install', 'AfterInstall', 'ApplicationStart'];

const lifecycle = (status: TargetStatus): LifecycleStep[] =>
  EVENTS.map((name, i) => {
    if (status === 'Succeeded') return { name, status: 'Succeeded' };
    if (status !== 'Failed') return { name, status };
    if (i < 3) return { name, status: 'Succeeded' };
    if (i > 3) return { name, status: 'Skipped' };
    return { name, status: 'Failed', diagnostics: { errorCode: 'ScriptFailed', scriptName: 'hook.sh' } };
  });

/** CodeDeploy's own success rule: it says Succeeded when enough hosts stayed healthy, not when all did. */
export const codedeployStatus = (config: DeploymentConfig, plan: FinishPlan): ModelDeployment['status'] => {
  if (plan.stop) return 'Stopped';
  const n = plan.targets.length;
  const ok = plan.targets.filter((s) => s === 'Succeeded').length;
  if (n === 0) return 'Failed';
  if (config === 'CodeDeployDefault.AllAtOnce') return ok >= 1 ? 'Succeeded' : 'Failed';
  if (config === 'CodeDeployDefault.HalfAtATime') return ok >= Math.floor(n / 2) ? 'Succeeded' : 'Failed';
  // One at a time: all must succeed, except that a failure on the last instance still succeeds.
  return plan.targets.slice(0, -1).every((s) => s === 'Succeeded') ? 'Succeeded' : 'Failed';
};

export class ModelCodeDeploy implements Deployer, DeploymentReader {
  readonly deployments = new Map<string, ModelDeployment>();
  /** Every CreateDeployment CodeDeploy accepted, in order. */
  readonly created: ModelDeployment[] = [];
  /** CreateDeployment calls refused because the group already had an active deployment. */
  readonly refusedBusy: { group: string; active: string; description: string }[] = [];
  /** Runs before a CreateDeployment is accepted: the model checks the ledger at the moment of the call. */
  onCreate?: (input: CreateDeploymentInput) => Promise<void>;

  constructor(
    private readonly configs: Record<string, DeploymentConfig>,
    private readonly now: () => Date,
  ) {}

  active(group?: string): ModelDeployment[] {
    return [...this.deployments.values()].filter(
      (d) => d.status === 'InProgress' && (group === undefined || d.input.deploymentGroup === group),
    );
  }

  async createDeployment(input: CreateDeploymentInput): Promise<string> {
    const [active] = this.active(input.deploymentGroup);
    if (active) {
      this.refusedBusy.push({
        group: input.deploymentGroup,
        active: active.id,
        description: input.description,
      });
      throw new GroupBusyError(
        `deployment group ${input.deploymentGroup} has active deployment ${active.id}`,
      );
    }
    await this.onCreate?.(input);
    const n = this.created.length + 1;
    const id = `d-M${n.toString(36).toUpperCase().padStart(8, '0')}`;
    const deployment: ModelDeployment = {
      id,
      input,
      config: this.configs[input.deploymentGroup] ?? 'CodeDeployDefault.AllAtOnce',
      status: 'InProgress',
      targets: [],
      hidden: 0,
      createdAt: this.now().toISOString(),
    };
    this.deployments.set(id, deployment);
    this.created.push(deployment);
    return id;
  }

  /** The deployment ends: its targets get their statuses and CodeDeploy its verdict by its own rule. */
  finish(id: string, plan: FinishPlan): ModelDeployment {
    const d = this.deployments.get(id);
    if (d?.status !== 'InProgress') throw new Error(`model: ${id} is not in progress`);
    d.targets = plan.targets.map((status, i) => ({ id: `i-${id.slice(2).toLowerCase()}${i}`, status }));
    d.hidden = plan.hidden;
    d.status = codedeployStatus(d.config, plan);
    d.completedAt = this.now().toISOString();
    return d;
  }

  private found(id: string): ModelDeployment {
    const d = this.deployments.get(id);
    if (!d) throw new NotFoundError(`CodeDeploy has no deployment ${id}`);
    return d;
  }

  async deployment(id: string): Promise<DeploymentFacts> {
    const d = this.found(id);
    const overview: Partial<Record<TargetStatus, number>> = {};
    for (const t of d.targets) overview[t.status] = (overview[t.status] ?? 0) + 1;
    if (d.hidden) overview.Succeeded = (overview.Succeeded ?? 0) + d.hidden;
    return {
      deploymentId: id,
      codedeployApplication: d.input.codedeployApplication,
      deploymentGroup: d.input.deploymentGroup,
      status: d.status,
      computePlatform: 'Server',
      deploymentConfig: d.config,
      deploymentType: 'IN_PLACE',
      ...(d.status === 'InProgress' ? {} : { overview }),
      createdAt: d.createdAt,
      ...(d.completedAt ? { completedAt: d.completedAt } : {}),
    };
  }

  async targets(id: string): Promise<Target[]> {
    return this.found(id).targets.map((t) => ({
      id: t.id,
      kind: 'instance',
      status: t.status,
      events: lifecycle(t.status),
    }));
  }
}
