import { AGE, NAME, age, col, containersAndImages, formatLabels, formatSelector, humanDuration, type Printer } from './format.js';

/** Pods: Name Ready Status Restarts Age + IP Node Nominated-Node Readiness-Gates (printers.go printPod). */
export const pods: Printer = {
  columns: [NAME, col('Ready'), col('Status'), col('Restarts'), AGE, col('IP', 'string', 1), col('Node', 'string', 1), col('Nominated Node', 'string', 1), col('Readiness Gates', 'string', 1)],
  row(pod, now) {
    const statuses: any[] = pod.status?.containerStatuses ?? [];
    let reason: string = pod.status?.reason || pod.status?.phase || '';
    let restarts = 0;
    let ready = 0;
    let lastRestart = 0;
    let hasRunning = false;
    for (const c of [...statuses].reverse()) {
      restarts += c.restartCount ?? 0;
      const finished = c.lastState?.terminated?.finishedAt;
      if (finished && Date.parse(finished) > lastRestart) lastRestart = Date.parse(finished);
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
      else if (c.state?.terminated) reason = c.state.terminated.signal ? `Signal:${c.state.terminated.signal}` : `ExitCode:${c.state.terminated.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    if (pod.metadata?.deletionTimestamp) reason = pod.status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
    const restartsText = lastRestart ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
    const gates: any[] = pod.spec?.readinessGates ?? [];
    const gatesText = gates.length ? `${gates.filter((g) => (pod.status?.conditions ?? []).some((c: any) => c.type === g.conditionType && c.status === 'True')).length}/${gates.length}` : '<none>';
    return [
      pod.metadata.name,
      `${ready}/${(pod.spec?.containers ?? []).length}`,
      reason,
      restartsText,
      age(pod.metadata.creationTimestamp, now),
      pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || '<none>',
      pod.spec?.nodeName || '<none>',
      pod.status?.nominatedNodeName || '<none>',
      gatesText,
    ];
  },
};

const templateColumns = [col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)];

export const deployments: Printer = {
  columns: [NAME, col('Ready'), col('Up-to-date', 'integer'), col('Available', 'integer'), AGE, ...templateColumns],
  row(d, now) {
    const [cs, images] = containersAndImages(d.spec?.template?.spec);
    return [d.metadata.name, `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`, d.status?.updatedReplicas ?? 0, d.status?.availableReplicas ?? 0, age(d.metadata.creationTimestamp, now), cs, images, formatSelector(d.spec?.selector)];
  },
};

export const replicasets: Printer = {
  columns: [NAME, col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), AGE, ...templateColumns],
  row(r, now) {
    const [cs, images] = containersAndImages(r.spec?.template?.spec);
    return [r.metadata.name, r.spec?.replicas ?? 1, r.status?.replicas ?? 0, r.status?.readyReplicas ?? 0, age(r.metadata.creationTimestamp, now), cs, images, formatSelector(r.spec?.selector)];
  },
};

export const daemonsets: Printer = {
  columns: [NAME, col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), col('Up-to-date', 'integer'), col('Available', 'integer'), col('Node Selector'), AGE, ...templateColumns],
  row(d, now) {
    const s = d.status ?? {};
    const [cs, images] = containersAndImages(d.spec?.template?.spec);
    return [d.metadata.name, s.desiredNumberScheduled ?? 0, s.currentNumberScheduled ?? 0, s.numberReady ?? 0, s.updatedNumberScheduled ?? 0, s.numberAvailable ?? 0, formatLabels(d.spec?.template?.spec?.nodeSelector), age(d.metadata.creationTimestamp, now), cs, images, formatSelector(d.spec?.selector)];
  },
};

export const statefulsets: Printer = {
  columns: [NAME, col('Ready'), AGE, col('Containers', 'string', 1), col('Images', 'string', 1)],
  row(s, now) {
    const [cs, images] = containersAndImages(s.spec?.template?.spec);
    return [s.metadata.name, `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 1}`, age(s.metadata.creationTimestamp, now), cs, images];
  },
};

export const jobs: Printer = {
  columns: [NAME, col('Completions'), col('Duration'), AGE, ...templateColumns],
  row(j, now) {
    const completions = j.spec?.completions;
    const succeeded = j.status?.succeeded ?? 0;
    const text = completions !== undefined && completions !== null ? `${succeeded}/${completions}` : `${succeeded}/1 of ${j.spec?.parallelism ?? 1}`;
    const start = j.status?.startTime ? Date.parse(j.status.startTime) : 0;
    const end = j.status?.completionTime ? Date.parse(j.status.completionTime) : now;
    const [cs, images] = containersAndImages(j.spec?.template?.spec);
    return [j.metadata.name, text, start ? humanDuration(end - start) : '', age(j.metadata.creationTimestamp, now), cs, images, formatSelector(j.spec?.selector)];
  },
};

export const cronjobs: Printer = {
  columns: [NAME, col('Schedule'), col('Timezone'), col('Suspend', 'boolean'), col('Active', 'integer'), col('Last Schedule'), AGE, ...templateColumns],
  row(c, now) {
    const [cs, images] = containersAndImages(c.spec?.jobTemplate?.spec?.template?.spec);
    const last = c.status?.lastScheduleTime ? age(c.status.lastScheduleTime, now) : '<none>';
    return [c.metadata.name, c.spec?.schedule ?? '', c.spec?.timeZone ?? '<none>', c.spec?.suspend ?? false, (c.status?.active ?? []).length, last, age(c.metadata.creationTimestamp, now), cs, images, formatSelector(c.spec?.jobTemplate?.spec?.selector)];
  },
};
