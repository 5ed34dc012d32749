import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { IConfigMap, IService } from 'kubernetes-models/v1';

import { APPS, fromRoot, GATEWAY, SUBGRAPHS, subgraphUrlVariable } from './deploy-facts';
import {
  committedSecretProblems,
  CONFIG_MAP,
  deploymentProblems,
  ofKind,
  PART_OF,
  PART_OF_LABEL,
  schemaProblems,
  SECRET,
  secretReferences,
  wiringProblems,
} from './k8s-checks';
import { filesUnder, type K8sObject, KUSTOMIZATION_FILE, kustomizationProblems, readKustomization, readYamlDocuments, renderKustomization } from './kustomize';

const k8sDir = (...segments: string[]): string => fromRoot('k8s', ...segments);
const TARGETS = ['base', 'overlays/local', 'overlays/production'];
const OVERLAYS = ['overlays/local', 'overlays/production'];
const render = (target: string) => renderKustomization(k8sDir(target));
const find = <T>(objects: K8sObject[], kind: string, name: string): T => {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`${kind}/${name} not rendered`);
  return found as unknown as T;
};
const yamlFiles = (): string[] => filesUnder(k8sDir(), ['.yaml', '.yml']);
const container = (deployment: IDeployment) => deployment.spec?.template.spec?.containers[0];

describe('Kubernetes manifests (k8s/)', () => {
  describe('layout', () => {
    it('the base lists config.yaml and the five app folders, each with its own manifests', () => {
      // Arrange
      const expectedFiles = ['deployment.yaml', 'service.yaml', 'hpa.yaml', 'pdb.yaml'];

      // Act
      const base = readKustomization(k8sDir('base'));
      const apps = APPS.map(({ app }) => ({ app, resources: readKustomization(k8sDir('base', app)).resources }));

      // Assert
      expect([...(base.resources ?? [])].sort()).toEqual(['config.yaml', ...APPS.map(({ app }) => app)].sort());
      for (const { resources } of apps) expect(resources).toEqual(expect.arrayContaining(expectedFiles));
    });

    it('every path a kustomization refers to exists', () => {
      // Arrange
      const kustomizations = filesUnder(k8sDir(), [KUSTOMIZATION_FILE]);

      // Act
      const problems = kustomizations.flatMap((file) => kustomizationProblems(path.dirname(file)));

      // Assert
      expect(kustomizations.length).toBeGreaterThanOrEqual(1 + APPS.length + OVERLAYS.length);
      expect(problems).toEqual([]);
    });

    it('every YAML file under k8s/ is a kustomization, or a resource or patch that one uses', () => {
      // Arrange
      const used = new Set<string>();
      for (const target of TARGETS) {
        const result = render(target);
        for (const file of [...result.kustomizations, ...result.resourceFiles, ...result.patchFiles]) used.add(file);
      }

      // Act
      const orphans = yamlFiles().filter((file) => !used.has(file));

      // Assert
      expect(orphans).toEqual([]);
    });

    it('every YAML document under k8s/ parses', () => {
      // Arrange
      const files = yamlFiles();

      // Act
      const failures = files.flatMap((file) => {
        try {
          readYamlDocuments(file);
          return [];
        } catch (error) {
          return [(error as Error).message];
        }
      });

      // Assert
      expect(files.length).toBeGreaterThan(0);
      expect(failures).toEqual([]);
    });
  });

  describe('schema validation (kubernetes-models)', () => {
    it('every committed resource document is a valid Kubernetes object', () => {
      // Arrange
      const resourceFiles = new Set<string>();
      for (const target of TARGETS) for (const file of render(target).resourceFiles) resourceFiles.add(file);

      // Act
      const documents = [...resourceFiles].flatMap((file) => readYamlDocuments(file) as K8sObject[]);
      const problems = documents.flatMap(schemaProblems);

      // Assert
      expect(documents.length).toBeGreaterThanOrEqual(1 + 4 * APPS.length);
      expect(problems).toEqual([]);
    });

    it.each(TARGETS)('every object %s renders to (patches and generators applied) is valid', (target) => {
      // Arrange
      const { objects } = render(target);

      // Act
      const problems = objects.flatMap(schemaProblems);

      // Assert
      expect(objects.length).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    });

    describe('the validation bites', () => {
      const gatewayDeployment = () => find<IDeployment>(render('base').objects, 'Deployment', GATEWAY.app) as unknown as K8sObject & IDeployment;

      it('a Deployment without a selector is rejected', () => {
        // Arrange
        const broken = gatewayDeployment();
        delete (broken.spec as Partial<NonNullable<IDeployment['spec']>>).selector;

        // Act
        const problems = schemaProblems(broken);

        // Assert
        expect(problems.join('\n')).toMatch(/selector/);
      });

      it('a Deployment with a string replica count is rejected', () => {
        // Arrange
        const broken = gatewayDeployment();
        (broken.spec as unknown as Record<string, unknown>).replicas = 'three';

        // Act
        const problems = schemaProblems(broken);

        // Assert
        expect(problems.join('\n')).toMatch(/replicas/);
      });

      it('an autoscaler without scaleTargetRef is rejected', () => {
        // Arrange
        const broken = find<K8sObject & IHorizontalPodAutoscaler>(render('base').objects, 'HorizontalPodAutoscaler', GATEWAY.app);
        delete (broken.spec as Partial<NonNullable<IHorizontalPodAutoscaler['spec']>>).scaleTargetRef;

        // Act
        const problems = schemaProblems(broken);

        // Assert
        expect(problems.join('\n')).toMatch(/scaleTargetRef/);
      });

      it('a kind the manifests are not expected to hold is rejected', () => {
        // Arrange
        const unknown: K8sObject = { apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'old' } };

        // Act
        const problems = schemaProblems(unknown);

        // Assert
        expect(problems).toHaveLength(1);
      });
    });
  });

  describe('workloads', () => {
    it.each(TARGETS)('%s has a Deployment, Service, autoscaler and disruption budget for each of the five services', (target) => {
      // Arrange
      const { objects } = render(target);

      // Act
      const missing = APPS.flatMap(({ app }) =>
        ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']
          .filter((kind) => !objects.some((object) => object.kind === kind && object.metadata.name === app))
          .map((kind) => `${kind}/${app}`),
      );

      // Assert
      expect(missing).toEqual([]);
    });

    it.each(TARGETS)('in %s every Deployment probes /health/ready and /health/live on its port, has resources and runs as non-root', (target) => {
      // Arrange
      const { objects } = render(target);

      // Act
      const problems = APPS.flatMap((facts) => deploymentProblems(find<IDeployment>(objects, 'Deployment', facts.app), facts));

      // Assert
      expect(problems).toEqual([]);
    });

    it.each(TARGETS)('in %s Services, autoscalers and disruption budgets point at existing Deployments', (target) => {
      // Arrange
      const { objects } = render(target);

      // Act
      const problems = wiringProblems(objects);

      // Assert
      expect(problems).toEqual([]);
    });

    it.each(APPS)('the $app Service exposes port $port, so the URL http://$app:$port works in the cluster', ({ app, port }) => {
      // Arrange
      const { objects } = render('base');

      // Act
      const service = find<IService>(objects, 'Service', app);

      // Assert
      expect(service.spec?.ports?.map((servicePort) => servicePort.port)).toEqual([port]);
      expect(service.spec?.selector).toEqual(find<IDeployment>(objects, 'Deployment', app).spec?.selector.matchLabels);
    });

    it.each(TARGETS)('in %s every object is labelled part-of sales-pipeline', (target) => {
      // Arrange
      const { objects } = render(target);

      // Act
      const unlabelled = objects
        .filter((object) => object.metadata.labels?.[PART_OF_LABEL] !== PART_OF)
        .map((object) => `${object.kind}/${object.metadata.name}`);

      // Assert
      expect(unlabelled).toEqual([]);
    });

    describe('the checks bite', () => {
      const broken = (mutate: (deployment: IDeployment) => void): string[] => {
        const deployment = find<IDeployment>(render('base').objects, 'Deployment', 'lead-subgraph');
        mutate(deployment);
        return deploymentProblems(deployment, SUBGRAPHS[0]);
      };

      it.each<[string, (deployment: IDeployment) => void, string]>([
        [
          'readiness on /health/live',
          (d) => ((container(d)?.readinessProbe?.httpGet as { path: string }).path = '/health/live'),
          'readinessProbe probes /health/live',
        ],
        ['liveness on another port', (d) => ((container(d)?.livenessProbe?.httpGet as { port: number | string }).port = 8080), 'livenessProbe port 8080'],
        ['no resources', (d) => delete container(d)?.resources, 'resources.requests'],
        ['root allowed', (d) => ((d.spec?.template.spec?.securityContext as { runAsNonRoot: boolean }).runAsNonRoot = false), 'runAsNonRoot'],
        [
          'a literal DATABASE_URL',
          (d) => container(d)?.env?.splice(1, 1, { name: 'DATABASE_URL', value: 'postgres://u:p@h/db' }),
          'DATABASE_URL must come from Secret',
        ],
        ['a selector that misses the pods', (d) => ((d.spec?.selector.matchLabels as Record<string, string>)['app.kubernetes.io/name'] = 'other'), 'selector'],
      ])('a Deployment with %s is reported', (_label, mutate, expected) => {
        // Arrange + Act
        const problems = broken(mutate);

        // Assert
        expect(problems.join('\n')).toContain(expected);
      });

      it('a Service, autoscaler and budget pointing at nothing are reported', () => {
        // Arrange
        const objects = render('base').objects.filter((object) => !(object.kind === 'Deployment' && object.metadata.name === 'deal-subgraph'));

        // Act
        const problems = wiringProblems(objects);

        // Assert
        expect(problems).toEqual(
          expect.arrayContaining([
            expect.stringContaining('Service/deal-subgraph: selects 0'),
            expect.stringContaining('HorizontalPodAutoscaler/deal-subgraph: scaleTargetRef'),
            expect.stringContaining('PodDisruptionBudget/deal-subgraph: selects 0'),
          ]),
        );
      });
    });
  });

  describe('configuration and secrets', () => {
    it('no committed manifest holds a secret value (no Secret, no secretGenerator, no literal secret)', () => {
      // Arrange
      const documents = yamlFiles().flatMap((file) => readYamlDocuments(file).map((document) => ({ file: path.relative(fromRoot(), file), document })));

      // Act
      const problems = committedSecretProblems(documents);

      // Assert
      expect(problems).toEqual([]);
    });

    it.each(TARGETS)('nothing %s renders is a Secret or carries a secret-looking ConfigMap key', (target) => {
      // Arrange
      const { objects } = render(target);

      // Act
      const problems = committedSecretProblems(objects.map((document) => ({ file: target, document })));

      // Assert
      expect(problems).toEqual([]);
    });

    it('a committed Secret, secretGenerator or literal password is reported', () => {
      // Arrange
      const documents = [
        { file: 'secret.yaml', document: { apiVersion: 'v1', kind: 'Secret', metadata: { name: SECRET }, stringData: { INTERNAL_AUTH_SECRET: 'x' } } },
        { file: 'kustomization.yaml', document: { secretGenerator: [{ name: SECRET, literals: ['A=b'] }] } },
        { file: 'deployment.yaml', document: { spec: { env: [{ name: 'KAFKA_SASL_PASSWORD', value: 'hunter2' }] } } },
      ];

      // Act
      const problems = committedSecretProblems(documents);

      // Assert
      expect(problems).toHaveLength(3);
    });

    it.each(TARGETS)('in %s secrets are read from the Secret pipeline-secrets only', (target) => {
      // Arrange
      const { objects } = render(target);

      // Act
      const secrets = new Set(secretReferences(objects).map((reference) => reference.secret));

      // Assert
      expect([...secrets]).toEqual([SECRET]);
    });

    it('k8s/README.md documents every key of pipeline-secrets the workloads read', () => {
      // Arrange
      const readme = fs.readFileSync(k8sDir('README.md'), 'utf8');
      const keys = new Set(TARGETS.flatMap((target) => secretReferences(render(target).objects).map((reference) => reference.key ?? '')));

      // Act
      const undocumented = [...keys].filter((key) => !readme.includes(`\`${key}\``));

      // Assert
      expect([...keys]).toEqual(expect.arrayContaining(['DATABASE_URL', 'INTERNAL_AUTH_SECRET', 'AUTH_JWT_SECRET', 'KAFKA_SASL_PASSWORD']));
      expect(undocumented).toEqual([]);
    });

    it.each(SUBGRAPHS)('$app may read its own $service database URL from the Secret, optionally', ({ app, service }) => {
      // Arrange
      const { objects } = render('base');

      // Act
      const references = secretReferences(objects).filter((reference) => reference.workload === app);

      // Assert
      expect(references).toEqual(
        expect.arrayContaining([
          { workload: app, secret: SECRET, key: 'DATABASE_URL', optional: false },
          { workload: app, secret: SECRET, key: `${(service as string).toUpperCase()}_DATABASE_URL`, optional: true },
          { workload: app, secret: SECRET, key: 'KAFKA_SASL_PASSWORD', optional: true },
        ]),
      );
    });

    it('pipeline-config holds the shared non-secret settings', () => {
      // Arrange
      const { objects } = render('base');

      // Act
      const data = find<IConfigMap>(objects, 'ConfigMap', CONFIG_MAP).data ?? {};

      // Assert
      expect(data).toMatchObject({ NODE_ENV: 'production', DATABASE_PREFIX: 'pipeline' });
      expect(data.KAFKA_BROKERS).toMatch(/^[\w.-]+:\d+(,[\w.-]+:\d+)*$/);
      expect(data.DATABASE_URL).toBeUndefined();
    });

    it.each(SUBGRAPHS)("the gateway's URL for $app names that Service and its port", (subgraph) => {
      // Arrange
      const { objects } = render('base');
      const data = find<IConfigMap>(objects, 'ConfigMap', CONFIG_MAP).data ?? {};

      // Act
      const url = new URL(data[subgraphUrlVariable(subgraph)]);
      const service = find<IService>(objects, 'Service', url.hostname);

      // Assert
      expect(url.hostname).toBe(subgraph.app);
      expect(service.spec?.ports?.map((port) => port.port)).toContain(Number(url.port));
      expect(url.pathname).toBe('/graphql');
    });
  });

  describe('the gateway supergraph', () => {
    it('k8s/base/gateway/supergraph.graphql is byte-identical to apps/gateway/supergraph.graphql', () => {
      // Arrange
      const mounted = fs.readFileSync(k8sDir('base', 'gateway', 'supergraph.graphql'));

      // Act
      const bundled = fs.readFileSync(fromRoot('apps', 'gateway', 'supergraph.graphql'));

      // Assert
      expect(mounted.length).toBeGreaterThan(0);
      expect(mounted.equals(bundled)).toBe(true);
    });

    it('is generated into a ConfigMap from supergraph.graphql', () => {
      // Arrange
      const kustomization = readKustomization(k8sDir('base', 'gateway'));

      // Act
      const generators = kustomization.configMapGenerator ?? [];

      // Assert
      expect(generators).toHaveLength(1);
      expect(generators[0].files).toEqual(['supergraph.graphql']);
    });

    it.each(TARGETS)('in %s the gateway mounts the generated ConfigMap and SUPERGRAPH_PATH names the mounted file', (target) => {
      // Arrange
      const result = render(target);
      const [generated] = [...result.generatedConfigMaps];
      const gateway = find<IDeployment>(result.objects, 'Deployment', GATEWAY.app);

      // Act
      const volume = gateway.spec?.template.spec?.volumes?.find((candidate) => candidate.configMap?.name === generated);
      const mount = container(gateway)?.volumeMounts?.find((candidate) => candidate.name === volume?.name);
      const supergraphPath = container(gateway)?.env?.find((variable) => variable.name === 'SUPERGRAPH_PATH')?.value;
      const configMap = find<IConfigMap>(result.objects, 'ConfigMap', generated);

      // Assert
      expect(mount?.readOnly).toBe(true);
      expect(supergraphPath).toBe(path.posix.join(mount?.mountPath ?? '?', 'supergraph.graphql'));
      expect(configMap.data?.['supergraph.graphql']).toBe(fs.readFileSync(fromRoot('apps', 'gateway', 'supergraph.graphql'), 'utf8'));
    });
  });

  describe('overlays', () => {
    it.each(OVERLAYS)('%s puts every namespaced object in the namespace it creates', (target) => {
      // Arrange
      const { objects } = render(target);

      // Act
      const namespaces = ofKind<K8sObject>(objects, 'Namespace').map((namespace) => namespace.metadata.name);
      const elsewhere = objects.filter((object) => object.kind !== 'Namespace' && object.metadata.namespace !== namespaces[0]);

      // Assert
      expect(namespaces).toEqual(['sales-pipeline']);
      expect(elsewhere).toEqual([]);
    });

    it('local runs one replica of each service from images tagged local, with small resources', () => {
      // Arrange
      const { objects } = render('overlays/local');

      // Act
      const deployments = APPS.map(({ app }) => find<IDeployment>(objects, 'Deployment', app));
      const autoscalers = APPS.map(({ app }) => find<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler', app));

      // Assert
      expect(deployments.map((deployment) => deployment.spec?.replicas)).toEqual(APPS.map(() => 1));
      expect(deployments.map((deployment) => container(deployment)?.image)).toEqual(APPS.map(({ app }) => `sales-pipeline/${app}:local`));
      expect(autoscalers.map((hpa) => hpa.spec?.minReplicas)).toEqual(APPS.map(() => 1));
      expect(deployments.map((deployment) => container(deployment)?.resources?.limits?.memory)).toEqual(APPS.map(() => '384Mi'));
    });

    it('production runs three gateways and at least two of every subgraph, autoscaling from at least two', () => {
      // Arrange
      const { objects } = render('overlays/production');

      // Act
      const replicas = Object.fromEntries(APPS.map(({ app }) => [app, find<IDeployment>(objects, 'Deployment', app).spec?.replicas]));
      const minimums = APPS.map(({ app }) => find<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler', app).spec?.minReplicas ?? 1);

      // Assert
      expect(replicas[GATEWAY.app]).toBe(3);
      for (const { app } of SUBGRAPHS) expect(replicas[app]).toBeGreaterThanOrEqual(2);
      expect(minimums.every((minimum) => minimum >= 2)).toBe(true);
    });

    it('production pulls every image from the registry at version 1.0.0', () => {
      // Arrange
      const { objects } = render('overlays/production');

      // Act
      const images = APPS.map(({ app }) => container(find<IDeployment>(objects, 'Deployment', app))?.image);

      // Assert
      expect(images).toEqual(APPS.map(({ app }) => `registry.example.com/sales-pipeline/${app}:1.0.0`));
    });

    it('production verifies RS256 tokens against a JWKS URL from the config', () => {
      // Arrange
      const { objects } = render('overlays/production');

      // Act
      const data = find<IConfigMap>(objects, 'ConfigMap', CONFIG_MAP).data ?? {};

      // Assert
      expect(new URL(data.AUTH_JWKS_URL).protocol).toBe('https:');
      expect(data.NODE_ENV).toBe('production');
    });
  });

  describe('the resolver bites', () => {
    let scratch: string;

    beforeEach(() => {
      scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kustomize-'));
    });

    afterEach(() => {
      fs.rmSync(scratch, { recursive: true, force: true });
    });

    it('reports resources, patches and generator files that do not exist', () => {
      // Arrange
      fs.writeFileSync(
        path.join(scratch, KUSTOMIZATION_FILE),
        [
          'resources:',
          '  - missing.yaml',
          '  - no-such-folder',
          'patches:',
          '  - path: patches/missing.yaml',
          'configMapGenerator:',
          '  - name: x',
          '    files:',
          '      - missing.graphql',
          '',
        ].join('\n'),
      );

      // Act
      const problems = kustomizationProblems(scratch);

      // Assert
      expect(problems).toHaveLength(4);
    });

    it('refuses a patch that matches no object', () => {
      // Arrange
      fs.writeFileSync(path.join(scratch, KUSTOMIZATION_FILE), ['resources:', '  - service.yaml', 'patches:', '  - path: patch.yaml', ''].join('\n'));
      fs.writeFileSync(
        path.join(scratch, 'service.yaml'),
        ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: gateway', 'spec:', '  ports:', '    - port: 4000', ''].join('\n'),
      );
      fs.writeFileSync(
        path.join(scratch, 'patch.yaml'),
        ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: gatewy', 'spec:', '  type: NodePort', ''].join('\n'),
      );

      // Act
      const act = () => renderKustomization(scratch);

      // Assert
      expect(act).toThrow(/matches no object/);
    });
  });
});
