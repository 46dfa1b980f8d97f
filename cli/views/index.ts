// One view per operator command.
import { approvalsView, decideView } from './approvals';
import { auditView } from './audit';
import { deployView, promoteView } from './changes';
import { retryView, rollbackView, stopView } from './control';
import { historyView } from './history';
import { metricsView } from './metrics';
import { releasesView } from './releases';
import { secretsCheckView } from './secrets';
import { statusView } from './status';
import type { View } from './view';

export const VIEWS: Record<string, View> = {
  status: statusView,
  releases: releasesView,
  deploy: deployView,
  promote: promoteView,
  audit: auditView,
  approvals: approvalsView,
  decide: decideView,
  'secrets-check': secretsCheckView,
  stop: stopView,
  retry: retryView,
  rollback: rollbackView,
  history: historyView,
  metrics: metricsView,
};
