import fs from 'node:fs';
import path from 'node:path';

import YAML from 'yaml';

// A small, strict Kustomize renderer for the tests: enough of Kustomize to render k8s/ offline without the binary
// (resources, configMapGenerator, patches as strategic merge or JSON 6902, images, namespace). A field it does not
// implement is an error, never silently skipped, so a rendered overlay is what `kubectl kustomize` would produce,
// except that generated ConfigMap names carry no content-hash suffix.

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

interface PatchTarget {
  kind?: string;
  name?: string;
  namespace?: string;
  group?: string;
  version?: string;
  labelSelector?: string;
}

interface PatchEntry {
  path?: string;
  patch?: string;
  target?: PatchTarget;
}

interface ImageEntry {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

interface GeneratorEntry {
  name: string;
  files?: string[];
  literals?: string[];
  options?: { labels?: Record<string, string>; annotations?: Record<string, string>; disableNameSuffixHash?: boolean };
}

export interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  resources?: string[];
  patches?: PatchEntry[];
  images?: ImageEntry[];
  configMapGenerator?: GeneratorEntry[];
}

const SUPPORTED_FIELDS = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'patches', 'images', 'configMapGenerator']);
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
]);
export const KUSTOMIZATION_FILE = 'kustomization.yaml';

export interface RenderResult {
  objects: K8sObject[];
  // Absolute paths of the files the render read, by role.
  kustomizations: Set<string>;
  resourceFiles: Set<string>;
  patchFiles: Set<string>;
  generatorFiles: Set<string>;
  // Names of the ConfigMaps produced by configMapGenerator (Kustomize would add a hash suffix).
  generatedConfigMaps: Set<string>;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

// Every document of a YAML file (`---` separated), empty documents dropped; YAML errors throw.
export function readYamlDocuments(file: string): unknown[] {
  return parseYamlDocuments(fs.readFileSync(file, 'utf8'), file);
}

export function parseYamlDocuments(text: string, origin = 'inline YAML'): unknown[] {
  return YAML.parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`${origin}: ${document.errors[0].message}`);
      return document.toJS() as unknown;
    })
    .filter((value) => value !== null && value !== undefined);
}

export function isK8sObject(value: unknown): value is K8sObject {
  return (
    isRecord(value) &&
    typeof value.apiVersion === 'string' &&
    typeof value.kind === 'string' &&
    isRecord(value.metadata) &&
    typeof value.metadata.name === 'string'
  );
}

export function readKustomization(dir: string): Kustomization {
  const file = path.join(dir, KUSTOMIZATION_FILE);
  const [document, ...extra] = readYamlDocuments(file);
  if (!isRecord(document) || extra.length > 0) throw new Error(`${file}: expected a single mapping`);
  return document as Kustomization;
}

// Paths a kustomization refers to that do not exist (resources, patch files, generator files), recursively.
export function kustomizationProblems(dir: string, seen = new Set<string>()): string[] {
  const file = path.join(dir, KUSTOMIZATION_FILE);
  if (seen.has(file)) return [];
  seen.add(file);
  if (!fs.existsSync(file)) return [`${dir}: no ${KUSTOMIZATION_FILE}`];
  const kustomization = readKustomization(dir);
  const problems: string[] = [];
  const unsupported = Object.keys(kustomization).filter((field) => !SUPPORTED_FIELDS.has(field));
  for (const field of unsupported) problems.push(`${file}: field "${field}" is not understood by the test renderer`);
  for (const resource of kustomization.resources ?? []) {
    const target = path.resolve(dir, resource);
    if (!fs.existsSync(target)) problems.push(`${file}: resource ${resource} does not exist`);
    else if (fs.statSync(target).isDirectory()) problems.push(...kustomizationProblems(target, seen));
  }
  for (const patch of kustomization.patches ?? []) {
    if (patch.path !== undefined && !fs.existsSync(path.resolve(dir, patch.path))) problems.push(`${file}: patch ${patch.path} does not exist`);
    if (patch.path === undefined && patch.patch === undefined) problems.push(`${file}: a patch has neither path nor patch`);
  }
  for (const generator of kustomization.configMapGenerator ?? []) {
    for (const entry of generator.files ?? []) {
      const source = entry.includes('=') ? entry.slice(entry.indexOf('=') + 1) : entry;
      if (!fs.existsSync(path.resolve(dir, source))) problems.push(`${file}: configMapGenerator ${generator.name} file ${source} does not exist`);
    }
  }
  return problems;
}

export function renderKustomization(dir: string): RenderResult {
  const result: RenderResult = {
    objects: [],
    kustomizations: new Set(),
    resourceFiles: new Set(),
    patchFiles: new Set(),
    generatorFiles: new Set(),
    generatedConfigMaps: new Set(),
  };
  result.objects = render(path.resolve(dir), result);
  return result;
}

function render(dir: string, result: RenderResult): K8sObject[] {
  const file = path.join(dir, KUSTOMIZATION_FILE);
  result.kustomizations.add(file);
  const kustomization = readKustomization(dir);
  for (const field of Object.keys(kustomization)) {
    if (!SUPPORTED_FIELDS.has(field)) throw new Error(`${file}: field "${field}" is not implemented by the test renderer`);
  }

  let objects: K8sObject[] = [];
  for (const resource of kustomization.resources ?? []) {
    if (/^[a-z]+:\/\//i.test(resource)) throw new Error(`${file}: remote resource ${resource} is not supported`);
    const target = path.resolve(dir, resource);
    if (fs.statSync(target).isDirectory()) {
      objects.push(...render(target, result));
    } else {
      result.resourceFiles.add(target);
      for (const document of readYamlDocuments(target)) {
        if (!isK8sObject(document)) throw new Error(`${target}: a document is not a Kubernetes object (apiVersion, kind, metadata.name)`);
        objects.push(document);
      }
    }
  }

  for (const generator of kustomization.configMapGenerator ?? []) {
    objects.push(generateConfigMap(dir, generator, result));
    result.generatedConfigMaps.add(generator.name);
  }

  for (const entry of kustomization.patches ?? []) objects = applyPatch(dir, file, entry, objects, result);

  for (const image of kustomization.images ?? []) objects = objects.map((object) => setImage(object, image));

  if (kustomization.namespace) {
    const namespace = kustomization.namespace;
    objects = objects.map((object) => (CLUSTER_SCOPED_KINDS.has(object.kind) ? object : { ...object, metadata: { ...object.metadata, namespace } }));
  }

  assertUniqueIds(objects, file);
  return objects;
}

function generateConfigMap(dir: string, generator: GeneratorEntry, result: RenderResult): K8sObject {
  const data: Record<string, string> = {};
  for (const entry of generator.files ?? []) {
    const [key, source] = entry.includes('=') ? [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)] : [path.basename(entry), entry];
    const file = path.resolve(dir, source);
    result.generatorFiles.add(file);
    data[key] = fs.readFileSync(file, 'utf8');
  }
  for (const literal of generator.literals ?? []) {
    const separator = literal.indexOf('=');
    data[literal.slice(0, separator)] = literal.slice(separator + 1);
  }
  const metadata: ObjectMeta = { name: generator.name };
  if (generator.options?.labels) metadata.labels = { ...generator.options.labels };
  if (generator.options?.annotations) metadata.annotations = { ...generator.options.annotations };
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data };
}

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
const versionOf = (apiVersion: string): string => apiVersion.split('/').pop() ?? '';

function matchesTarget(object: K8sObject, target: PatchTarget): boolean {
  if (target.kind !== undefined && object.kind !== target.kind) return false;
  if (target.name !== undefined && !new RegExp(`^(?:${target.name})$`).test(object.metadata.name)) return false;
  if (target.namespace !== undefined && object.metadata.namespace !== target.namespace) return false;
  if (target.group !== undefined && groupOf(object.apiVersion) !== target.group) return false;
  if (target.version !== undefined && versionOf(object.apiVersion) !== target.version) return false;
  if (target.labelSelector !== undefined) {
    const labels = object.metadata.labels ?? {};
    for (const requirement of target.labelSelector.split(',')) {
      const [key, value] = requirement.split('=').map((part) => part.trim());
      if (labels[key] !== value) return false;
    }
  }
  return true;
}

function applyPatch(dir: string, file: string, entry: PatchEntry, objects: K8sObject[], result: RenderResult): K8sObject[] {
  let text: string;
  if (entry.path !== undefined) {
    const patchFile = path.resolve(dir, entry.path);
    result.patchFiles.add(patchFile);
    text = fs.readFileSync(patchFile, 'utf8');
  } else if (entry.patch !== undefined) {
    text = entry.patch;
  } else {
    throw new Error(`${file}: a patch has neither path nor patch`);
  }
  const documents = parseYamlDocuments(text, entry.path ?? 'inline patch');
  if (documents.length !== 1) throw new Error(`${file}: patch ${entry.path ?? '(inline)'} must hold exactly one document`);
  const [patch] = documents;

  if (Array.isArray(patch)) {
    if (!entry.target) throw new Error(`${file}: JSON 6902 patch ${entry.path ?? '(inline)'} needs a target`);
    const target = entry.target;
    const matched = objects.filter((object) => matchesTarget(object, target));
    if (matched.length === 0) throw new Error(`${file}: patch ${entry.path ?? '(inline)'} matches no object`);
    return objects.map((object) => (matchesTarget(object, target) ? applyJsonPatch(object, patch, entry.path ?? 'inline patch') : object));
  }

  if (!isK8sObject(patch)) throw new Error(`${file}: strategic merge patch ${entry.path ?? '(inline)'} needs apiVersion, kind and metadata.name`);
  const target: PatchTarget = entry.target ?? {
    kind: patch.kind,
    name: patch.metadata.name,
    group: groupOf(patch.apiVersion),
    version: versionOf(patch.apiVersion),
  };
  const matched = objects.filter((object) => matchesTarget(object, target));
  if (matched.length === 0) throw new Error(`${file}: patch ${entry.path ?? '(inline)'} matches no object`);
  return objects.map((object) => {
    if (!matchesTarget(object, target)) return object;
    const { metadata: patchMetadata, ...patchBody } = patch;
    // With a target, the patch's own name is a placeholder; the object keeps its identity.
    const { name: _name, namespace: _namespace, ...metadataChanges } = patchMetadata;
    return strategicMerge(object, { ...patchBody, apiVersion: object.apiVersion, kind: object.kind, metadata: metadataChanges }) as K8sObject;
  });
}

// Strategic merge, as far as these manifests need it: maps merge key by key, null deletes a key, lists of
// objects with a `name` (containers, env, volumes, ports, volumeMounts) merge by name, other lists are replaced.
export function strategicMerge(base: unknown, patch: unknown): unknown {
  if (isRecord(patch)) {
    for (const key of Object.keys(patch)) if (key.startsWith('$')) throw new Error(`strategic merge directive ${key} is not supported`);
    const merged: Record<string, unknown> = isRecord(base) ? { ...base } : {};
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete merged[key];
      else merged[key] = strategicMerge(merged[key], value);
    }
    return merged;
  }
  const byName = (items: unknown[]): items is Array<Record<string, unknown> & { name: string }> =>
    items.every((item) => isRecord(item) && typeof item.name === 'string');
  if (Array.isArray(base) && Array.isArray(patch) && patch.length > 0 && byName(base) && byName(patch)) {
    const merged: unknown[] = base.map((item) => {
      const change = patch.find((candidate) => candidate.name === item.name);
      return change ? strategicMerge(item, change) : structuredClone(item);
    });
    for (const item of patch) if (!base.some((existing) => existing.name === item.name)) merged.push(structuredClone(item));
    return merged;
  }
  return structuredClone(patch);
}

interface JsonPatchOperation {
  op: string;
  path: string;
  value?: unknown;
}

const pointer = (jsonPointer: string): string[] => {
  if (!jsonPointer.startsWith('/')) throw new Error(`JSON pointer ${jsonPointer} must start with /`);
  return jsonPointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
};

// JSON 6902: add, replace and remove.
export function applyJsonPatch<T>(document: T, operations: unknown[], origin: string): T {
  const result = structuredClone(document) as unknown;
  for (const raw of operations) {
    if (!isRecord(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') throw new Error(`${origin}: malformed operation ${JSON.stringify(raw)}`);
    const operation = raw as unknown as JsonPatchOperation;
    const tokens = pointer(operation.path);
    const last = tokens.pop() as string;
    let parent: unknown = result;
    for (const token of tokens) {
      parent = Array.isArray(parent) ? parent[Number(token)] : isRecord(parent) ? parent[token] : undefined;
      if (parent === undefined) throw new Error(`${origin}: path ${operation.path} does not exist`);
    }
    const exists = Array.isArray(parent) ? Number(last) < parent.length : isRecord(parent) && last in parent;
    switch (operation.op) {
      case 'add':
        if (Array.isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, structuredClone(operation.value));
        else if (isRecord(parent)) parent[last] = structuredClone(operation.value);
        else throw new Error(`${origin}: cannot add at ${operation.path}`);
        break;
      case 'replace':
        if (!exists) throw new Error(`${origin}: replace at ${operation.path}, which does not exist`);
        if (Array.isArray(parent)) parent[Number(last)] = structuredClone(operation.value);
        else (parent as Record<string, unknown>)[last] = structuredClone(operation.value);
        break;
      case 'remove':
        if (!exists) throw new Error(`${origin}: remove at ${operation.path}, which does not exist`);
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete (parent as Record<string, unknown>)[last];
        break;
      default:
        throw new Error(`${origin}: JSON patch op ${operation.op} is not supported`);
    }
  }
  return result as T;
}

// Image name without tag or digest: registry.example.com/a/b:1.0 -> registry.example.com/a/b.
export function imageName(image: string): string {
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon === -1 ? withoutDigest : withoutDigest.slice(0, colon);
}

function setImage(object: K8sObject, image: ImageEntry): K8sObject {
  const podSpec = podSpecOf(object);
  if (!podSpec) return object;
  const updated = structuredClone(object);
  const updatedPodSpec = podSpecOf(updated) as PodSpecLike;
  for (const container of [...(updatedPodSpec.containers ?? []), ...(updatedPodSpec.initContainers ?? [])]) {
    if (typeof container.image !== 'string' || imageName(container.image) !== image.name) continue;
    const current = container.image;
    const name = image.newName ?? image.name;
    const currentTag = current.split('@')[0].slice(imageName(current).length + 1);
    if (image.digest) container.image = `${name}@${image.digest}`;
    else if (image.newTag) container.image = `${name}:${image.newTag}`;
    else container.image = currentTag ? `${name}:${currentTag}` : name;
  }
  return updated;
}

interface PodSpecLike {
  containers?: Array<{ image?: string }>;
  initContainers?: Array<{ image?: string }>;
}

function podSpecOf(object: K8sObject): PodSpecLike | undefined {
  const spec = object.spec;
  if (!isRecord(spec) || !isRecord(spec.template) || !isRecord(spec.template.spec)) return undefined;
  return spec.template.spec as PodSpecLike;
}

function assertUniqueIds(objects: K8sObject[], file: string): void {
  const seen = new Set<string>();
  for (const object of objects) {
    const id = `${object.apiVersion}/${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
    if (seen.has(id)) throw new Error(`${file}: ${id} is defined twice`);
    seen.add(id);
  }
}

// Every file under a folder, recursively, whose name ends in one of the extensions.
export function filesUnder(dir: string, extensions: string[]): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(full, extensions));
    else if (extensions.some((extension) => entry.name.endsWith(extension))) found.push(full);
  }
  return found.sort();
}
