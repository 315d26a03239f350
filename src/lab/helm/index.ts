// Helm on the lab: the objects of the three charts meshwright installs, recorded as Helm 3 records releases.
export { HelmError, LAB_CHARTS, labChart, releaseHistory, upgradeInstall } from './install.js';
export type { LabChart } from './install.js';
export { decodeRelease, encodeRelease, goTimeString, releaseSecretName } from './release.js';
export type { HelmRelease } from './release.js';
export { ciliumObjects } from './charts/cilium.js';
