import { describe, expect, it } from 'vitest';
import { buildArgv, Catalog, type CatalogEntry } from '../../src/diagnostics/catalog.js';
import { ParamError } from '../../src/diagnostics/params.js';

const catalog = new Catalog();
const get = (id: string): CatalogEntry => {
  const e = catalog.get(id);
  if (!e) throw new Error(`no catalog entry ${id}`);
  return e;
};

describe('catalog entries for storage, RBAC, nodes, Elasticsearch, clocks, disks and Helm', () => {
  it('builds the documented command lines from valid parameters', () => {
    expect(buildArgv(get('kubectl-get-pvc'), { namespace: 'shop' }).argv).toEqual([
      'kubectl',
      'get',
      'pvc',
      '--namespace=shop',
      '-o',
      'wide',
    ]);
    expect(buildArgv(get('kubectl-describe-pvc'), { namespace: 'data', claim: 'data-kafka-0' }).argv).toEqual(
      ['kubectl', 'describe', 'pvc', '--namespace=data', '--', 'data-kafka-0'],
    );
    expect(
      buildArgv(get('kubectl-auth-can-i'), { namespace: 'prod', verb: 'list', resource: 'deployments.apps' })
        .argv,
    ).toEqual(['kubectl', 'auth', 'can-i', '--namespace=prod', '--', 'list', 'deployments.apps']);
    expect(
      buildArgv(get('kubectl-auth-can-i-as'), {
        namespace: 'prod',
        accountNamespace: 'ci',
        serviceAccount: 'deployer',
        verb: 'create',
        resource: 'pods/exec',
      }).argv,
    ).toEqual([
      'kubectl',
      'auth',
      'can-i',
      '--namespace=prod',
      '--as=system:serviceaccount:ci:deployer',
      '--',
      'create',
      'pods/exec',
    ]);
    expect(buildArgv(get('kubectl-describe-node'), { node: 'ip-10-0-12-7.ec2.internal' }).argv).toEqual([
      'kubectl',
      'describe',
      'node',
      '--',
      'ip-10-0-12-7.ec2.internal',
    ]);
    expect(buildArgv(get('es-cluster-health'), { baseUrl: 'https://es.internal:9200' }).argv).toEqual([
      'curl',
      '-sS',
      '--globoff',
      '--max-time',
      '10',
      'https://es.internal:9200/_cluster/health?pretty',
    ]);
    expect(buildArgv(get('es-cat-allocation'), { baseUrl: 'http://10.0.3.4:9200/search' }).argv.at(-1)).toBe(
      'http://10.0.3.4:9200/search/_cat/allocation?v',
    );
    expect(buildArgv(get('smartctl-health'), { device: '/dev/nvme0n1' }).argv).toEqual([
      'smartctl',
      '-H',
      '--',
      '/dev/nvme0n1',
    ]);
    expect(buildArgv(get('helm-history'), { namespace: 'payments', release: 'payments-api' }).argv).toEqual([
      'helm',
      'history',
      '--namespace=payments',
      '--max=20',
      '--',
      'payments-api',
    ]);
    expect(buildArgv(get('dmesg-io-errors'), {}).argv).toEqual([
      'dmesg',
      '-T',
      '--facility=kern',
      '--level=emerg,alert,crit,err',
    ]);
  });

  it.each([
    ['kubectl-auth-can-i', { namespace: 'prod', verb: '*', resource: 'pods' }, /verb must be one of/],
    ['kubectl-auth-can-i', { namespace: 'prod', verb: 'get', resource: 'Pods' }, /resource does not match/],
    ['kubectl-auth-can-i', { namespace: 'prod', verb: 'get', resource: 'pods --as=admin' }, /resource/],
    [
      'kubectl-auth-can-i-as',
      { namespace: 'prod', accountNamespace: 'ci', serviceAccount: 'a:b', verb: 'get', resource: 'pods' },
      /serviceAccount does not match/,
    ],
    ['kubectl-auth-can-i', { namespace: 'prod', verb: 'get' }, /missing parameter resource/],
    ['es-cluster-health', { baseUrl: 'https://es.internal:9200/' }, /baseUrl does not match/],
    ['es-cluster-health', { baseUrl: 'https://elastic:changeme@es:9200' }, /baseUrl does not match/],
    ['es-cluster-health', { baseUrl: 'http://es:9200/?x=1' }, /baseUrl does not match/],
    ['es-cluster-health', { baseUrl: 'file:///etc/passwd' }, /baseUrl does not match/],
    ['smartctl-health', { device: '/dev/sda1/../../etc/shadow' }, /device/],
    ['smartctl-health', { device: '/etc/shadow' }, /device does not match/],
    ['smartctl-health', { device: '-a' }, /device/],
    ['helm-status', { namespace: 'prod', release: 'Payments' }, /release does not match/],
    ['helm-status', { namespace: 'prod', release: 'x'.repeat(54) }, /release is longer than 53/],
    ['kubectl-describe-node', { node: '--all-namespaces' }, /node/],
  ] as const)('%s refuses %j', (id, params, message) => {
    expect(() => buildArgv(get(id), params)).toThrow(ParamError);
    expect(() => buildArgv(get(id), params)).toThrow(message);
  });

  // Hostile values against these entries' parameters: in hostile.test.ts, with the rest of the catalog.
});
