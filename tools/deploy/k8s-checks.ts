import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler, type IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { type IPodDisruptionBudget, PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, type IConfigMap, type IContainer, type INamespace, type IProbe, type IService, Namespace, Service } from 'kubernetes-models/v1';

import type { AppFacts } from './deploy-facts';
import type { K8sObject } from './kustomize';

// Checks on Kubernetes objects, each returning a list of problems (empty: conforms), so the tests can show that
// every check fails on a broken object.

export const PART_OF = 'sales-pipeline';
export const CONFIG_MAP = 'pipeline-config';
export const SECRET = 'pipeline-secrets';
export const NAME_LABEL = 'app.kubernetes.io/name';
export const PART_OF_LABEL = 'app.kubernetes.io/part-of';

const idOf = (object: { kind?: string; metadata?: { name?: string } }): string => `${object.kind ?? '?'}/${object.metadata?.name ?? '?'}`;

// Every kind k8s/ may hold, with the kubernetes-models class whose validate() checks it against the OpenAPI schema.
const MODELS: Record<string, (data: unknown) => { validate(): void }> = {
  'apps/v1/Deployment': (data) => new Deployment(data as IDeployment),
  'v1/Service': (data) => new Service(data as IService),
  'v1/ConfigMap': (data) => new ConfigMap(data as IConfigMap),
  'v1/Namespace': (data) => new Namespace(data as INamespace),
  'autoscaling/v2/HorizontalPodAutoscaler': (data) => new HorizontalPodAutoscaler(data as IHorizontalPodAutoscaler),
  'policy/v1/PodDisruptionBudget': (data) => new PodDisruptionBudget(data as IPodDisruptionBudget),
};

export function schemaProblems(object: K8sObject): string[] {
  const model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!model) return [`${idOf(object)}: ${object.apiVersion} ${object.kind} is not a kind these manifests are expected to hold`];
  try {
    model(structuredClone(object)).validate();
    return [];
  } catch (error) {
    return [`${idOf(object)}: ${(error as Error).message}`];
  }
}

export const ofKind = <T>(objects: K8sObject[], kind: string): T[] => objects.filter((object) => object.kind === kind) as unknown as T[];

export const labelsMatch = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean =>
  selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels?.[key] === value);

const containerOf = (deployment: IDeployment): IContainer | undefined => deployment.spec?.template.spec?.containers[0];

// A probe's or Service's port, by number or by the container port's name.
export function resolvePort(container: IContainer | undefined, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return container?.ports?.some((candidate) => candidate.containerPort === port) ? port : undefined;
  return container?.ports?.find((candidate) => candidate.name === port)?.containerPort;
}

function probeProblems(id: string, kind: string, probe: IProbe | undefined, container: IContainer, path: string, port: number): string[] {
  if (!probe) return [`${id}: no ${kind}`];
  if (!probe.httpGet) return [`${id}: ${kind} is not an HTTP GET`];
  const problems: string[] = [];
  if (probe.httpGet.path !== path) problems.push(`${id}: ${kind} probes ${probe.httpGet.path}, expected ${path}`);
  if (resolvePort(container, probe.httpGet.port) !== port) problems.push(`${id}: ${kind} port ${probe.httpGet.port} is not container port ${port}`);
  return problems;
}

// Probes, resources, non-root security, labels and configuration of one service's Deployment.
export function deploymentProblems(deployment: IDeployment, facts: AppFacts): string[] {
  const id = `Deployment/${deployment.metadata?.name}`;
  const problems: string[] = [];
  const labels = deployment.metadata?.labels ?? {};
  if (labels[NAME_LABEL] !== facts.app) problems.push(`${id}: label ${NAME_LABEL} is ${labels[NAME_LABEL]}, expected ${facts.app}`);
  if (labels[PART_OF_LABEL] !== PART_OF) problems.push(`${id}: label ${PART_OF_LABEL} is ${labels[PART_OF_LABEL]}, expected ${PART_OF}`);
  const podLabels = deployment.spec?.template.metadata?.labels;
  if (!labelsMatch(deployment.spec?.selector.matchLabels, podLabels)) problems.push(`${id}: the selector does not select the pod template's labels`);
  if (podLabels?.[NAME_LABEL] !== facts.app || podLabels?.[PART_OF_LABEL] !== PART_OF)
    problems.push(`${id}: pod labels lack ${NAME_LABEL}=${facts.app} and ${PART_OF_LABEL}=${PART_OF}`);

  const containers = deployment.spec?.template.spec?.containers ?? [];
  if (containers.length !== 1) return [...problems, `${id}: expected one container, found ${containers.length}`];
  const container = containers[0];
  if (!container.ports?.some((port) => port.containerPort === facts.port)) problems.push(`${id}: no container port ${facts.port}`);
  problems.push(...probeProblems(id, 'readinessProbe', container.readinessProbe, container, '/health/ready', facts.port));
  problems.push(...probeProblems(id, 'livenessProbe', container.livenessProbe, container, '/health/live', facts.port));
  if (!container.startupProbe?.httpGet) problems.push(`${id}: no HTTP startupProbe`);

  const { requests, limits } = container.resources ?? {};
  if (!requests?.cpu || !requests?.memory) problems.push(`${id}: resources.requests needs cpu and memory`);
  if (!limits?.memory || !limits?.cpu) problems.push(`${id}: resources.limits needs cpu and memory`);

  const pod = deployment.spec?.template.spec?.securityContext;
  const own = container.securityContext;
  const runAsNonRoot = own?.runAsNonRoot ?? pod?.runAsNonRoot;
  const runAsUser = own?.runAsUser ?? pod?.runAsUser;
  if (runAsNonRoot !== true) problems.push(`${id}: runAsNonRoot is not true`);
  // The image's USER is `node`, a name: the kubelet can only enforce runAsNonRoot with a numeric uid.
  if (typeof runAsUser !== 'number' || runAsUser === 0) problems.push(`${id}: runAsUser must be a non-zero uid`);
  if (own?.readOnlyRootFilesystem !== true) problems.push(`${id}: readOnlyRootFilesystem is not true`);
  if (own?.allowPrivilegeEscalation !== false) problems.push(`${id}: allowPrivilegeEscalation is not false`);
  if (!own?.capabilities?.drop?.includes('ALL')) problems.push(`${id}: capabilities are not all dropped`);

  if (!container.envFrom?.some((source) => source.configMapRef?.name === CONFIG_MAP))
    problems.push(`${id}: does not take its settings from ConfigMap ${CONFIG_MAP}`);
  const env = new Map((container.env ?? []).map((variable) => [variable.name, variable]));
  if (env.get('PORT')?.value !== String(facts.port)) problems.push(`${id}: PORT is not ${facts.port}`);
  const required = facts.service ? ['DATABASE_URL', 'INTERNAL_AUTH_SECRET'] : ['INTERNAL_AUTH_SECRET'];
  for (const name of required) {
    const ref = env.get(name)?.valueFrom?.secretKeyRef;
    if (ref?.name !== SECRET || ref.key !== name || ref.optional === true)
      problems.push(`${id}: ${name} must come from Secret ${SECRET} (required key ${name})`);
  }
  return problems;
}

// Keys a workload reads from Secrets, with the Secret's name and whether the key is optional.
export function secretReferences(objects: K8sObject[]): Array<{ workload: string; secret: string; key?: string; optional: boolean }> {
  return ofKind<IDeployment>(objects, 'Deployment').flatMap((deployment) =>
    (deployment.spec?.template.spec?.containers ?? []).flatMap((container) => [
      ...(container.env ?? []).flatMap((variable) => {
        const ref = variable.valueFrom?.secretKeyRef;
        return ref ? [{ workload: deployment.metadata?.name ?? '?', secret: ref.name ?? '', key: ref.key, optional: ref.optional === true }] : [];
      }),
      ...(container.envFrom ?? []).flatMap((source) =>
        source.secretRef
          ? [{ workload: deployment.metadata?.name ?? '?', secret: source.secretRef.name ?? '', optional: source.secretRef.optional === true }]
          : [],
      ),
    ]),
  );
}

const SECRET_NAME = /SECRET|PASSWORD|TOKEN|PRIVATE_KEY|DATABASE_URL|CREDENTIAL/i;

// Committed documents must not carry secret values: no Secret objects, no secretGenerator, no secret-looking
// literal env values or ConfigMap keys.
export function committedSecretProblems(documents: Array<{ file: string; document: unknown }>): string[] {
  const problems: string[] = [];
  const visit = (file: string, value: unknown, trail: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(file, item, `${trail}[${index}]`));
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    if (record.kind === 'Secret') problems.push(`${file}: ${trail || 'document'} is a Secret`);
    if ('secretGenerator' in record) problems.push(`${file}: ${trail || 'document'} has a secretGenerator`);
    if (typeof record.name === 'string' && SECRET_NAME.test(record.name) && 'value' in record)
      problems.push(`${file}: ${trail}: ${record.name} has a literal value`);
    if (record.kind === 'ConfigMap' && typeof record.data === 'object' && record.data !== null) {
      for (const key of Object.keys(record.data)) if (SECRET_NAME.test(key)) problems.push(`${file}: ConfigMap key ${key} belongs in a Secret`);
    }
    for (const [key, child] of Object.entries(record)) visit(file, child, trail ? `${trail}.${key}` : key);
  };
  for (const { file, document } of documents) visit(file, document, '');
  return problems;
}

// Services, autoscalers and disruption budgets must each point at an existing Deployment.
export function wiringProblems(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  const deployments = ofKind<IDeployment>(objects, 'Deployment');
  for (const service of ofKind<IService>(objects, 'Service')) {
    const id = `Service/${service.metadata?.name}`;
    const selected = deployments.filter((deployment) => labelsMatch(service.spec?.selector, deployment.spec?.template.metadata?.labels));
    if (selected.length !== 1) {
      problems.push(`${id}: selects ${selected.length} Deployments' pods, expected 1`);
      continue;
    }
    for (const port of service.spec?.ports ?? []) {
      if (resolvePort(containerOf(selected[0]), port.targetPort ?? port.port) === undefined)
        problems.push(`${id}: targetPort ${port.targetPort} is no container port of Deployment/${selected[0].metadata?.name}`);
    }
  }
  for (const hpa of ofKind<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler')) {
    const id = `HorizontalPodAutoscaler/${hpa.metadata?.name}`;
    const ref = hpa.spec?.scaleTargetRef;
    if (ref?.kind !== 'Deployment' || ref.apiVersion !== 'apps/v1' || !deployments.some((deployment) => deployment.metadata?.name === ref.name))
      problems.push(`${id}: scaleTargetRef ${JSON.stringify(ref)} is no Deployment here`);
    if ((hpa.spec?.minReplicas ?? 1) > (hpa.spec?.maxReplicas ?? 0)) problems.push(`${id}: minReplicas exceeds maxReplicas`);
    if (!hpa.spec?.metrics?.some((metric) => metric.type === 'Resource' && metric.resource?.name === 'cpu')) problems.push(`${id}: does not scale on CPU`);
  }
  for (const pdb of ofKind<IPodDisruptionBudget>(objects, 'PodDisruptionBudget')) {
    const id = `PodDisruptionBudget/${pdb.metadata?.name}`;
    const selected = deployments.filter((deployment) => labelsMatch(pdb.spec?.selector?.matchLabels, deployment.spec?.template.metadata?.labels));
    if (selected.length !== 1) problems.push(`${id}: selects ${selected.length} Deployments' pods, expected 1`);
    if (pdb.spec?.minAvailable !== 1) problems.push(`${id}: minAvailable is ${pdb.spec?.minAvailable}, expected 1`);
  }
  const configMaps = new Set(ofKind<IConfigMap>(objects, 'ConfigMap').map((configMap) => configMap.metadata?.name));
  for (const deployment of deployments) {
    const id = `Deployment/${deployment.metadata?.name}`;
    const podSpec = deployment.spec?.template.spec;
    const referenced = [
      ...(podSpec?.volumes ?? []).flatMap((volume) => (volume.configMap?.name ? [volume.configMap.name] : [])),
      ...(podSpec?.containers ?? []).flatMap((container) =>
        (container.envFrom ?? []).flatMap((source) => (source.configMapRef?.name ? [source.configMapRef.name] : [])),
      ),
    ];
    for (const name of referenced) if (!configMaps.has(name)) problems.push(`${id}: ConfigMap ${name} does not exist`);
    for (const container of podSpec?.containers ?? []) {
      const volumes = new Set((podSpec?.volumes ?? []).map((volume) => volume.name));
      for (const mount of container.volumeMounts ?? []) if (!volumes.has(mount.name)) problems.push(`${id}: volumeMount ${mount.name} has no volume`);
    }
  }
  return problems;
}
