import { describe, expect, it } from 'vitest';
import { builtinEngine } from '../helpers.js';

const { top } = builtinEngine();

// What a monitoring bot posts in an incident channel: the alert names and summaries of the community rule
// sets (kubernetes-mixin and node-mixin, which kube-prometheus ships, and awesome-prometheus-alerts), written
// from those rule files, as Alertmanager's Slack template renders them.
describe('the built-in guides: alerts a monitoring bot posts', () => {
  it.each([
    ['[FIRING:1] KubePodCrashLooping (api-7d9c production)', 'k8s-crashloopbackoff'],
    ['[FIRING:1] KubernetesPodCrashLooping Pod is crash looping (payments/api-0)', 'k8s-crashloopbackoff'],
    [
      'KubePodCrashLooping: Pod payments/api-0 (api) is restarting 1.53 times / 5 minutes.',
      'k8s-crashloopbackoff',
    ],
    ['[FIRING:1] Pod is restarting frequently (payments/api-0)', 'k8s-crashloopbackoff'],
    [
      'KubeNodeNotReady: Node is not ready. ip-10-0-3-4.ec2.internal has been unready for more than 15 minutes.',
      'k8s-node-not-ready',
    ],
    ['[FIRING:1] KubeNodeUnreachable node-7 Node is unreachable.', 'k8s-node-not-ready'],
    ['Alert NodeClockNotSynchronising firing on node-3: Clock not synchronising.', 'clock-skew'],
    ['[FIRING:1] NodeClockSkewDetected Clock skew detected. (instance node-2:9100)', 'clock-skew'],
    ['[FIRING:2] HostOomKillDetected (worker-12 node-exporter warning)', 'out-of-memory-killed'],
    [
      '[FIRING:1] HostSystemdServiceCrashed Host systemd service crashed (instance db-1:9100)',
      'systemd-unit-failed',
    ],
    [
      '[FIRING:1] NodeSystemdServiceFailed Systemd service has entered failed state. (name: nginx.service)',
      'systemd-unit-failed',
    ],
    [
      'NodeFileDescriptorLimit: Kernel is predicted to exhaust file descriptors limit soon.',
      'too-many-open-files',
    ],
    ['[FIRING:1] NodeRAIDDiskFailure Failed device in RAID array md0', 'disk-io-error'],
    // node-mixin's "almost out of" alerts once nothing is left.
    [
      'NodeFilesystemAlmostOutOfSpace: Filesystem on /dev/vdb, mounted on /data, at node-4:9100 has only 0.00% available space left.',
      'no-space-left-on-device',
    ],
    [
      'Filesystem on /dev/sda2, mounted on /, at db-2:9100 has only 0% available inodes left.',
      'no-space-left-on-device',
    ],
  ])('%s', (paste, id) => {
    expect(top(paste)).toBe(id);
  });

  // Alerts that name no guide's problem stay unanswered: an error budget, a target down, a replica count.
  it.each([
    '[FIRING:1] KubeAPIErrorBudgetBurn (critical) The API server is burning too much error budget.',
    '[FIRING:3] TargetDown (node-exporter monitoring) 100% of the node-exporter/node-exporter targets in monitoring namespace are down.',
    '[FIRING:1] KubeDeploymentReplicasMismatch Deployment has not matched the expected number of replicas.',
  ])('quiet: %s', (paste) => {
    expect(top(paste)).toBeNull();
  });
});
