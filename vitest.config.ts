import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // sshd and the platform fakes bind loopback ports; parallel files are fine, but keep the pool small
    // because CI machines have two cores.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    // Tests and the CLI processes they spawn fill a cache of their own, never the user's.
    env: { FAULTLINE_CACHE_DIR: path.join(tmpdir(), `faultline-test-cache-${process.pid}`) },
    hookTimeout: 60_000,
  },
});
