export * from './multi-az-failover-service';
export * from './failover-tier';
export * from './failover-dns';
export * from './failover-target';
export * from './tier-alarms';
export * from './shared-resources';
export * from './web-acl-option';
export * from './egress-mode';
