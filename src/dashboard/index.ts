// meshwright dashboard: a loopback web page over status, plan, policy, verify and the flows.
export { DASHBOARD_HOST, startDashboard } from './server.js';
export type { Dashboard, DashboardOptions } from './server.js';
export type { FlowFeed } from './feed.js';
export { SourceError } from './sources.js';
export type { DashboardSources } from './sources.js';
export { countsAsRequest, ShareCounter } from './shares.js';
export type { LiveShare } from './shares.js';
export { FilterError, parseFilter } from './filter.js';
export type { FlowMatcher } from './filter.js';
export { sharedFor } from './shared.js';
export { followObserver } from './follow.js';
export type { Following, ObserverStream } from './follow.js';
