export { buildPlan } from './build.js';
export type { PlanInput } from './build.js';
export type { ReadyOverride } from './inputs.js';
export { overrideText, unknownReadyServices } from './inputs.js';
export { PLAN_SCHEMA_VERSION } from './types.js';
export type { ClusterPlan, GlobalServicePrediction, LoadBalancerPrediction, NotModelled, PendingLoadBalancer, Plan, PoolStage, ServiceAggregatePrediction } from './types.js';
export { platformObjects } from './platform-objects.js';
export { planServices } from './global-services.js';
export type { ServicePlan, ServiceScenario } from './global-services.js';
