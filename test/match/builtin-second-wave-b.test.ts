import { describe, expect, it } from 'vitest';
import { builtinKnowledgeDir, loadKnowledge } from '../../src/knowledge/load.js';
import { MatchEngine } from '../../src/match/engine.js';

const engine = new MatchEngine(loadKnowledge([builtinKnowledgeDir()]).guides);
const top = (text: string) => engine.match(text).matches[0]?.id;

// Where a second-wave guide borders a first-wave one, the root symptom decides, in both directions.
describe('the built-in guides: second-wave boundaries (storage, Kubernetes, brokers, clocks)', () => {
  it.each([
    [
      '[2025-02-03T04:05:06,789][WARN ][o.e.c.r.a.DiskThresholdMonitor] [es-hot-1] flood stage disk watermark [95%] exceeded on [n1][es-hot-1][/data] free: 9.8gb[4.9%], all indices on this node will be marked read-only',
      'elasticsearch-disk-watermark',
    ],
    [
      'index [logs-2025.02.03] blocked by: [FORBIDDEN/12/index read-only / allow delete (api)];',
      'elasticsearch-disk-watermark',
    ],
    [
      'org.elasticsearch.common.breaker.CircuitBreakingException: [parent] Data too large, data for [<http_request>] would be [3120/3gb], which is larger than the limit of [3000/2.9gb]',
      'elasticsearch-circuit-breaker',
    ],
    ['Exception in thread "main" java.lang.OutOfMemoryError: Java heap space', 'java-heap-out-of-memory'],
    [
      'WARN [Producer clientId=p-1] Connection to node -1 (kafka:9092) could not be established. Broker may not be available.\njava.net.ConnectException: Connection refused',
      'kafka-broker-unavailable',
    ],
    ['dial tcp 10.0.0.5:9092: connect: connection refused', 'connection-refused'],
    [
      // The driver's exception wraps the reason it carries (topics.md): the refusal decides.
      'MongoServerSelectionError: connect ECONNREFUSED 127.0.0.1:27017\n    at Timeout._onTimeout (node_modules/mongodb/lib/sdam/topology.js:292:38)',
      'connection-refused',
    ],
    [
      'pymongo.errors.ServerSelectionTimeoutError: db-0:27017: [Errno -2] Name or service not known, Timeout: 30s',
      'dns-resolution-failed',
    ],
    [
      'MongoServerSelectionError: connection timed out\n    at Timeout._onTimeout (node_modules/mongodb/lib/sdam/topology.js:292:38)',
      'mongodb-server-selection-timeout',
    ],
    [
      'pymongo.errors.ServerSelectionTimeoutError: No replica set members match selector "Primary()", Timeout: 30s',
      'mongodb-server-selection-timeout',
    ],
    [
      'Warning  Unhealthy  1m (x6 over 2m)  kubelet  Liveness probe failed: Get "http://10.1.2.3:8080/live": dial tcp 10.1.2.3:8080: connect: connection refused',
      'k8s-probe-failed',
    ],
    [
      'Warning  Unhealthy  1m (x6 over 2m)  kubelet  Readiness probe failed: Get "http://10.1.2.3:8080/ready": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
      'k8s-probe-failed',
    ],
    [
      'Warning  Unhealthy  40s (x3 over 1m)  kubelet  Liveness probe failed: Get http://10.1.2.3:8080/live: net/http: request canceled (Client.Timeout exceeded while awaiting headers)',
      'k8s-probe-failed',
    ],
    [
      'Warning  Unhealthy  12s  kubelet  Startup probe failed: dial tcp 10.1.2.3:5432: i/o timeout',
      'k8s-probe-failed',
    ],
    [
      'level=error msg="scrape failed" err="Get \\"http://10.1.2.3:9100/metrics\\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"',
      'context-deadline-exceeded',
    ],
    [
      '[2025-02-03 10:00:00 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:8)\n[2025-02-03 10:00:01 +0000] [1] [ERROR] Worker (pid:8) was sent SIGKILL! Perhaps out of memory?',
      'app-worker-timeout',
    ],
    [
      'Warning  FailedScheduling  10s  default-scheduler  0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
      'k8s-volume-mount-failed',
    ],
    [
      'Warning  FailedScheduling  10s  default-scheduler  0/3 nodes are available: 3 Insufficient memory.',
      'k8s-pod-unschedulable',
    ],
    [
      'Warning  FailedMount  5s (x3 over 9s)  kubelet  MountVolume.SetUp failed for volume "tls" : secret "api-tls" not found',
      'k8s-volume-mount-failed',
    ],
    [
      'Warning  Failed  5s (x3 over 9s)  kubelet  Error: secret "api-env" not found',
      'k8s-createcontainerconfigerror',
    ],
    [
      'Error from server (Forbidden): deployments.apps is forbidden: User "system:serviceaccount:ci:deployer" cannot list resource "deployments" in API group "apps" in the namespace "prod"',
      'k8s-rbac-forbidden',
    ],
    ['cat: /etc/shadow: Permission denied', 'permission-denied'],
    ['Access is denied. (os error 5)', 'permission-denied'],
    ["cp: error reading 'big.iso': Input/output error", 'disk-io-error'],
    [
      '[Mon Jun 10 02:11:47 2024] EXT4-fs error (device sda1): ext4_journal_check_start:83: Detected aborted journal\n[Mon Jun 10 02:11:47 2024] EXT4-fs (sda1): Remounting filesystem read-only',
      'read-only-file-system',
    ],
    [
      'An error occurred (RequestTimeTooSkewed) when calling the PutObject operation: The difference between the request time and the current time is too large.',
      'clock-skew',
    ],
    [
      'x509: certificate has expired or is not yet valid: current time 2024-01-01T00:00:00Z is before 2024-03-07T00:00:00Z',
      'tls-certificate-expired',
    ],
    [
      'Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress',
      'helm-release-failed',
    ],
  ])('%s -> %s', (text, id) => expect(top(text)).toBe(id));

  it('stays quiet on probe configuration and on a successful Helm upgrade', () => {
    expect(top('livenessProbe:\n  httpGet:\n    path: /healthz\n    port: 8080')).toBeUndefined();
    expect(
      top('Release "api" has been upgraded. Happy Helming!\nSTATUS: deployed\nREVISION: 12'),
    ).toBeUndefined();
  });
});
