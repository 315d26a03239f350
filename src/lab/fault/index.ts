// Fault drills on the lab: `meshwright lab fault CLUSTER clustermesh-down | foreign-ca | scale NS/DEPLOYMENT=N | --clear`.
export { describeFault, parseFault } from './fault.js';
export type { Fault, FaultSpec } from './fault.js';
export { FaultError, FAULTS_FILE, LabFaults, recordedFaults } from './drills.js';
export { FAULT_PATH, faultHandler, requestFault } from './http.js';
export type { FaultReply, FaultRequest } from './http.js';
