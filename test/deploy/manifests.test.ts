import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CONFIG_SECTIONS, SECRET_VARIABLES } from '../../adapters/terminal/front-ends.js';
import { envSettings } from '../../src/config/env.js';
import { loadConfig } from '../../src/config/load.js';
import { configSchemaWith } from '../../src/config/schema.js';
import { tempDir } from '../helpers.js';
import { ROOT } from '../cli/run.js';

/** The operations server's paths, as `src/ops/server.ts` serves them. */
const SERVER = readFileSync(path.join(ROOT, 'src/ops/server.ts'), 'utf8');
const KNOWN_VARIABLES = new Set([
  ...envSettings(configSchemaWith(CONFIG_SECTIONS)).map((s) => s.name),
  ...SECRET_VARIABLES,
  ...SECRET_VARIABLES.map((s) => `${s}_FILE`),
  'FAULTLINE_LOG_FORMAT',
  'FAULTLINE_LOG_LEVEL',
  'FAULTLINE_CACHE_DIR',
  'NODE_ENV',
]);

type Obj = Record<string, unknown>;
const docs = parseAllDocuments(readFileSync(path.join(ROOT, 'deploy/kubernetes/faultline.yaml'), 'utf8')).map(
  (d) => {
    expect(d.errors).toEqual([]);
    return d.toJS() as Obj;
  },
);
const byKind = (kind: string) => docs.find((d) => d.kind === kind) as Obj;
const get = (o: unknown, ...keys: (string | number)[]): unknown =>
  keys.reduce<unknown>((x, k) => (x as Record<string | number, unknown> | undefined)?.[k], o);

describe('deploy/kubernetes: what the manifests say matches what the code serves and reads', () => {
  it('has a ConfigMap, Secret, Deployment, Service and ServiceMonitor', () => {
    expect(docs.map((d) => d.kind).sort()).toEqual(
      ['ConfigMap', 'Deployment', 'Secret', 'Service', 'ServiceMonitor'].sort(),
    );
  });

  it("the ConfigMap's faultline.yaml loads with zero problems and listens where the probes look", () => {
    const dir = tempDir();
    const file = path.join(dir, 'faultline.yaml');
    writeFileSync(file, get(byKind('ConfigMap'), 'data', 'faultline.yaml') as string);
    const { config } = loadConfig(file, dir, CONFIG_SECTIONS);
    expect(config.ops.host).toBe('0.0.0.0');
    const container = get(byKind('Deployment'), 'spec', 'template', 'spec', 'containers', 0) as Obj;
    const port = (container.ports as { name: string; containerPort: number }[]).find((p) => p.name === 'ops');
    expect(port?.containerPort).toBe(config.ops.port);
    const env = Object.fromEntries(
      (container.env as { name: string; value: string }[]).map((e) => [e.name, e.value]),
    );
    expect(Number(env.FAULTLINE_OPS_PORT)).toBe(config.ops.port);
    for (const name of Object.keys(env)) expect(KNOWN_VARIABLES, name).toContain(name);
    // The secrets are mounted as files where the *_FILE variables point, one Secret key each.
    const secretKeys = Object.keys(get(byKind('Secret'), 'stringData') as Obj);
    for (const [name, value] of Object.entries(env))
      if (name.endsWith('_FILE')) expect(secretKeys).toContain(path.basename(value));
    const args = container.args as string[];
    expect(args.slice(-1)).toEqual(['start']);
    expect(args[args.indexOf('--config') + 1]).toBe('/etc/faultline/faultline.yaml');
  });

  it('probes the paths the operations server serves, on its port', () => {
    const container = get(byKind('Deployment'), 'spec', 'template', 'spec', 'containers', 0) as Obj;
    for (const [probe, p] of [
      ['livenessProbe', '/healthz'],
      ['readinessProbe', '/readyz'],
      ['startupProbe', '/healthz'],
    ] as const) {
      expect(get(container, probe, 'httpGet', 'path')).toBe(p);
      expect(get(container, probe, 'httpGet', 'port')).toBe('ops');
      expect(SERVER).toContain(`url === '${p}'`);
    }
    expect(get(byKind('ServiceMonitor'), 'spec', 'endpoints', 0, 'path')).toBe('/metrics');
    expect(SERVER).toContain(`url === '/metrics'`);
    expect(get(byKind('Service'), 'spec', 'ports', 0, 'targetPort')).toBe('ops');
    // The drain finishes before the kubelet's SIGKILL.
    const grace = get(
      byKind('Deployment'),
      'spec',
      'template',
      'spec',
      'terminationGracePeriodSeconds',
    ) as number;
    const dir = tempDir();
    writeFileSync(path.join(dir, 'f.yaml'), get(byKind('ConfigMap'), 'data', 'faultline.yaml') as string);
    expect(grace).toBeGreaterThan(
      loadConfig(path.join(dir, 'f.yaml'), dir, CONFIG_SECTIONS).config.ops.drainSeconds,
    );
  });
});

describe('Dockerfile and systemd unit', () => {
  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const unit = readFileSync(path.join(ROOT, 'deploy/systemd/faultline.service'), 'utf8');

  it('the image runs as a non-root user, without dev dependencies, with a health check on /healthz', () => {
    expect(dockerfile).toMatch(/^ARG BASE_IMAGE=/m);
    expect(dockerfile).toMatch(/^FROM \$\{BASE_IMAGE\} AS build$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER 10001/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/healthz/m);
    const vars = [...dockerfile.matchAll(/(FAULTLINE_[A-Z_]+)=/g)].map((m) => m[1] as string);
    expect(vars.length).toBeGreaterThan(3);
    for (const v of vars) expect(KNOWN_VARIABLES, v).toContain(v);
  });

  it('the unit sets only variables faultline reads, and is hardened', () => {
    const vars = [...unit.matchAll(/^#?Environment=([A-Z_]+)=/gm)].map((m) => m[1] as string);
    for (const v of vars) expect(KNOWN_VARIABLES, v).toContain(v);
    for (const opt of [
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'StateDirectory=faultline',
      'Restart=on-failure',
    ])
      expect(unit).toContain(opt);
  });

  const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  it.skipIf(analyze.status !== 0)('the unit passes systemd-analyze verify', () => {
    const r = spawnSync('systemd-analyze', ['verify', path.join(ROOT, 'deploy/systemd/faultline.service')], {
      encoding: 'utf8',
    });
    expect(r.stderr.trim()).toBe('');
    expect(r.status).toBe(0);
  });
});
