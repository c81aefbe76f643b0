// deploy/kubernetes: every manifest parsed; the Deployment against the ConfigMap's monitor.yaml
// (ports, probes, config folder, secret files, grace period), the Service and the Secret example.
import { readdirSync } from 'node:fs';
import { posix } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { configArg, findKeys, monitorFacts, read, readYaml, ROOT } from './manifests.ts';

const DIR = 'deploy/kubernetes/';
const manifests = readdirSync(ROOT + DIR).filter((f) => f.endsWith('.yaml'));
const docs = manifests.flatMap((f) =>
  parseAllDocuments(read(DIR + f)).map((d) => {
    if (d.errors.length) throw new Error(`${f}: ${d.errors[0]!.message}`);
    return { file: f, obj: d.toJS() };
  }));
const ofKind = (kind: string) => docs.filter((d) => d.obj?.kind === kind);
const one = (kind: string, file: string) => {
  const found = ofKind(kind).filter((d) => d.file === file);
  if (found.length !== 1) throw new Error(`expected one ${kind} in ${file}, found ${found.length}`);
  return found[0]!.obj;
};

const deployment = one('Deployment', 'deployment.yaml');
const service = one('Service', 'service.yaml');
const configMap = one('ConfigMap', 'configmap.yaml');
const secret = one('Secret', 'secret.example.yaml');
const pod = deployment.spec.template.spec;
const container = pod.containers[0];
const config = monitorFacts(configMap.data['monitor.yaml'], `${DIR}configmap.yaml#monitor.yaml`);

/** A probe's or Service's port (a number or the name of a container port) -> the number. */
const resolvePort = (p: number | string) => (typeof p === 'number' ? p : container.ports.find((c: any) => c.name === p)?.containerPort);
const mountOf = (volume: (v: any) => boolean) => {
  const v = pod.volumes.find(volume);
  return v && container.volumeMounts.find((m: any) => m.name === v.name);
};

describe('kubernetes manifests', () => {
  it('all parse, and kustomization.yaml lists all but the secret example', () => {
    expect(docs.every((d) => d.obj?.kind)).toBe(true);
    const kustomization = readYaml(`${DIR}kustomization.yaml`);
    expect([...kustomization.resources].sort()).toEqual(manifests.filter((f) => !['kustomization.yaml', 'secret.example.yaml'].includes(f)).sort());
    expect(kustomization.configMapGenerator, 'a generator renames the ConfigMap and restarts pods on every change').toBeUndefined();
  });

  it('never uses subPath (such mounts never see an update)', () => {
    expect(docs.flatMap((d) => findKeys(d.obj, 'subPath').map((p) => `${d.file}: ${p}`))).toEqual([]);
  });

  it('runs 2 replicas with matching selectors, and keeps one up during disruptions', () => {
    expect(deployment.spec.replicas).toBe(2);
    const labels = deployment.spec.template.metadata.labels;
    expect(labels).toMatchObject(deployment.spec.selector.matchLabels);
    expect(labels).toMatchObject(service.spec.selector);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    const pdb = one('PodDisruptionBudget', 'pdb.yaml');
    expect(labels).toMatchObject(pdb.spec.selector.matchLabels);
    expect(pdb.spec.minAvailable).toBe(1);
  });

  it('runs several replicas on PostgreSQL and Redis', () => {
    expect(config.database).toMatch(/^postgres(ql)?:\/\//);
    expect(new URL(config.database).password, 'the password comes from PGPASSWORD').toBe('');
    expect(config.state.driver).toBe('redis');
  });
});

describe('the Deployment and monitor.yaml agree', () => {
  it('monitor.yaml passes the project checker', () => {
    expect(config.problems).toEqual([]);
  });

  it('on the port: listen = containerPort = Service targetPort = probes = scrape port', () => {
    const port = config.listen.port;
    expect(container.ports.map((p: any) => p.containerPort)).toEqual([port]);
    expect(service.spec.ports.map((p: any) => resolvePort(p.targetPort))).toEqual([port]);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) expect(resolvePort(container[probe].httpGet.port), probe).toBe(port);
    expect(Number(deployment.spec.template.metadata.annotations['prometheus.io/port'])).toBe(port);
  });

  it('on the config file: the ConfigMap is mounted as a folder where `-c` points', () => {
    const file = configArg(container.args)!;
    const mount = mountOf((v) => v.configMap?.name === configMap.metadata.name);
    expect(mount.mountPath).toBe(posix.dirname(file));
    expect(mount.readOnly).toBe(true);
    expect(Object.keys(configMap.data)).toContain(posix.basename(file));
  });

  it('on the secrets: every { file } is a key of the Secret, mounted as a folder', () => {
    expect(config.nonFileSecrets).toEqual([]);
    const mount = mountOf((v) => v.secret?.secretName === secret.metadata.name);
    for (const f of config.secretFiles) {
      expect(posix.dirname(f), f).toBe(mount.mountPath);
      expect(Object.keys(secret.stringData), f).toContain(posix.basename(f));
    }
    const pg = container.env.find((e: any) => e.name === 'PGPASSWORD').valueFrom.secretKeyRef;
    expect(pg.name).toBe(secret.metadata.name);
    expect(Object.keys(secret.stringData)).toContain(pg.key);
  });

  it('probes /-/healthy for liveness and start-up, /-/ready for readiness; the start-up probe covers "starting"', () => {
    expect(container.livenessProbe.httpGet.path).toBe('/-/healthy');
    expect(container.startupProbe.httpGet.path).toBe('/-/healthy');
    expect(container.readinessProbe.httpGet.path).toBe('/-/ready');
    const startup = container.startupProbe;
    expect(startup.periodSeconds * startup.failureThreshold).toBeGreaterThanOrEqual(60);
  });

  it('lets liveness ride out a whole drain (503) before it could restart the container', () => {
    const live = container.livenessProbe;
    expect(live.periodSeconds * live.failureThreshold * 1000).toBeGreaterThan(config.drainMs);
  });

  it('gives preStop plus the drain time to finish before SIGKILL', () => {
    const [cmd, seconds] = container.lifecycle.preStop.exec.command;
    expect(cmd).toBe('sleep');
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(Number(seconds) * 1000 + config.drainMs);
  });
});

describe('the pod is locked down', () => {
  it('runs as non-root with a read-only root file system and no privileges', () => {
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('writes only to emptyDir or PVC volumes', () => {
    const writable = container.volumeMounts.filter((m: any) => !m.readOnly);
    expect(writable.length).toBeGreaterThan(0);
    for (const m of writable) {
      const v = pod.volumes.find((x: any) => x.name === m.name);
      expect(v.emptyDir ?? v.persistentVolumeClaim, m.mountPath).toBeDefined();
    }
  });

  it('declares resource requests and a memory limit', () => {
    expect(container.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources.limits.memory).toEqual(expect.any(String));
  });
});
