// verify: checks against the lab or real clusters, each observation compared with the plan's prediction.
export { CHECKS } from './checks/index.js';
export { verifyContext } from './context.js';
export type { VerifyRequest } from './context.js';
export { runChecks, verifyExitCode, VERIFY_SCHEMA_VERSION } from './runner.js';
export type { VerifyReport } from './runner.js';
export { verifyJunit } from './report/junit.js';
export { verifyTable } from './report/table.js';
export { verifyReportJsonSchema } from './report/schema.js';
export { binomialCdf, binomialPmf, binomialTestPValue } from './binomial.js';
export { holmAdjust, holmRejects } from './multiple-testing.js';
export type { Check, CheckResult, CheckStatus, VerifyContext } from './types.js';
export { DEFAULT_PROBE_IMAGE, DEFAULT_PROBE_NAMESPACE, PROBE_LABEL } from './probe/index.js';
