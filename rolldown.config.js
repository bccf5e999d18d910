// The CLI as users run it (`bin`, `npm start`): tsc's output of adapters/terminal/main.ts bundled into
// dist/cli/, so that a one-shot command loads a handful of files instead of some sixty modules.
// CommonJS, because Node 20's ES module loader costs a start more than the code it loads: resolving,
// linking and reading each file asynchronously, and an ES facade for every builtin (`node:crypto`'s
// enumerates its lazy `webcrypto`, about 10 ms); docs/performance.md has the profiles.
// Every dynamic import stays a chunk of its own, loaded only by the command that needs it: inlining them
// would hoist their packages (zod, discord.js, Bolt) into every start. Packages stay external: some are
// native or require() at run time, and node_modules is there wherever the bundle runs.
import { defineConfig } from 'rolldown';

export default defineConfig({
  input: { faultline: 'dist/adapters/terminal/main.js' },
  platform: 'node',
  external: [/^[^./]/],
  // The knowledge cache keys on the code that wrote it; a bundle says so, and codeStamp stats its folder.
  transform: { define: { 'import.meta.faultlineBundle': 'true' } },
  // `match` imports paths.js lazily for tsc's output, where each module is its own file; in the bundle it
  // shares a chunk with what every command loads, which is what that note would say on every build.
  checks: { ineffectiveDynamicImport: false },
  output: {
    dir: 'dist/cli',
    cleanDir: true,
    format: 'cjs',
    entryFileNames: '[name].cjs',
    chunkFileNames: '[name]-[hash].cjs',
  },
});
