export * from './multi-az-failover-service';
export * from './failover-tier';
export * from './tier-release';
export * from './failover-dns';
// The structs; the computation is internal (MultiAzFailoverService.failoverBudget), not in the jsii assembly.
export type {
  FailoverAssumption,
  FailoverBudget,
  FailoverPath,
  FailoverStep,
  GlobalFailoverBudget,
} from './failover-budget';
export * from './failover-target';
export * from './regional-service';
export * from './global-failover';
export * from './tier-alarms';
export * from './shared-resources';
export * from './web-acl-option';
export * from './session-log-destination';
export * from './egress-mode';
export * from './operator-mfa';
export * from './zonal-fleet';
export * from './health-check-alarm';
export * from './failover-dashboard';
export * from './failover-drills';
export * from './warm-standby';
export * from './region-switch-plan';
export * from './zonal-shift-runbook';
export * from './image-refresh';
