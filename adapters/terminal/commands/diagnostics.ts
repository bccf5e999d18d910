import { InvalidArgumentError, type Command, type CommanderError } from 'commander';
import type { AppContext } from '../../../src/app.js';
import { UsageError } from '../usage.js';
import { osUser } from '../cli.js';
import type {
  DiagnosticsService,
  DiagnosticOutcome,
  HostRunResult,
  Principal,
} from '../../../src/diagnostics/service.js';
import { formatProblem, ProblemsError } from '../../../src/util/problems.js';

/** Exit codes: 0 every host fine, 1 a command failed or a host was unreachable, 2 bad input, 3 denied or waiting. */
const EXIT_USAGE = 2;
const EXIT_DENIED = 3;

function collectParam(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0)
    throw new InvalidArgumentError(`expected key=value, got ${JSON.stringify(value.slice(0, 64))}`);
  const key = value.slice(0, eq);
  if (Object.hasOwn(previous, key)) throw new InvalidArgumentError(`${key} given twice`);
  return { ...previous, [key]: value.slice(eq + 1) };
}

function fail(message: string, code = EXIT_USAGE): never {
  process.stderr.write(`faultline: ${message.split('\n')[0]}\n`);
  process.exit(code);
}

/** Runs an action with the service, turning bad input into one line and exit 2, never a stack trace. */
function withService(
  getApp: () => AppContext,
  fn: (svc: DiagnosticsService, app: AppContext) => Promise<number>,
): () => Promise<void> {
  return async () => {
    let svc: DiagnosticsService | undefined;
    let code: number;
    try {
      const app = getApp();
      // SSH libraries load only for the commands that use them, keeping every other command's start fast.
      const { DiagnosticsService } = await import('../../../src/diagnostics/service.js');
      svc = new DiagnosticsService({
        diagnostics: app.config.diagnostics,
        policy: app.config.policy,
        baseDir: app.baseDir,
      });
      code = await fn(svc, app);
    } catch (e) {
      await svc?.close().catch(() => undefined);
      if (e instanceof ProblemsError) {
        for (const p of e.problems) process.stderr.write(`${formatProblem(p)}\n`);
        process.exit(EXIT_USAGE);
      }
      if (e instanceof UsageError) fail(e.message);
      fail(e instanceof Error ? e.message : String(e), 1);
    }
    await svc.close();
    process.exitCode = code;
  };
}

/** One host's result, printed as soon as that host finishes. */
function printHost(r: HostRunResult): void {
  const facts = [
    r.exitCode !== null ? `exit ${r.exitCode}` : r.signal ? `signal ${r.signal}` : undefined,
    r.timedOut ? 'timed out' : undefined,
    r.truncated ? `output cut at ${r.full.length} characters` : undefined,
    r.status === 'denied' || r.status === 'error' ? r.error : undefined,
    r.status === 'ok' || r.status === 'failed' ? `${r.durationMs} ms` : undefined,
  ].filter(Boolean);
  process.stdout.write(`== ${r.host}: ${r.status} (${facts.join(', ')})\n`);
  if (r.full) process.stdout.write(r.full.endsWith('\n') ? r.full : `${r.full}\n`);
}

function printOutcome(out: DiagnosticOutcome, json: boolean): number {
  if (json) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  switch (out.status) {
    case 'invalid':
      if (!json) process.stderr.write(`faultline: ${out.reason}\n`);
      return EXIT_USAGE;
    case 'denied':
      if (!json) process.stderr.write(`faultline: denied: ${out.reason}\n`);
      return EXIT_DENIED;
    case 'needs-approval':
      if (!json) {
        process.stderr.write(
          `faultline: ${out.catalogId} needs approval by a second authorised person (request ${out.requestId}, expires ${out.expiresAt})\n`,
        );
        for (const [host, cmd] of Object.entries(out.commands)) process.stderr.write(`  ${host}: ${cmd}\n`);
      }
      return EXIT_DENIED;
    case 'ran': {
      let code = 0;
      for (const r of out.results) {
        if (r.status !== 'ok') code = Math.max(code, r.status === 'denied' ? EXIT_DENIED : 1);
        // Without --json each host was printed as it finished (`printHost`).
      }
      return code;
    }
    case 'rejected':
      if (!json) process.stderr.write(`faultline: request ${out.requestId} was rejected by ${out.by}\n`);
      return EXIT_DENIED;
  }
}

/** Commander reports usage errors itself (one line); we only make the exit code 2. */
function usageExit(err: CommanderError): never {
  process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE);
}

export function registerDiagnosticsCommands(program: Command, getApp: () => AppContext): void {
  const hosts = program
    .command('hosts')
    .description('list the registered hosts; `hosts check` connects to each and verifies its key')
    .option('--json', 'print JSON')
    .action(
      withService(getApp, async (svc) => {
        const list = svc.hosts();
        if (hosts.opts<{ json?: boolean }>().json) {
          process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
          return 0;
        }
        if (list.length === 0)
          process.stdout.write('no hosts registered (diagnostics.hosts in the config file)\n');
        for (const h of list) {
          const where = h.kind === 'local' ? 'local' : `${h.user}@${h.address}:${h.port}`;
          const keys =
            h.kind === 'local'
              ? ''
              : h.pinnedKeys
                ? `  ${h.pinnedKeys} pinned key${h.pinnedKeys > 1 ? 's' : ''}`
                : '  NO PINNED KEY';
          process.stdout.write(`${h.name.padEnd(20)} ${where.padEnd(36)} [${h.labels.join(', ')}]${keys}\n`);
        }
        return 0;
      }),
    );
  hosts.exitOverride(usageExit);
  hosts
    .command('check')
    .exitOverride(usageExit)
    .description('connect to every host and verify its pinned host key')
    .action(
      withService(getApp, async (svc) => {
        const checks = await svc.checkHosts();
        if (checks.length === 0) process.stdout.write('no hosts registered\n');
        for (const c of checks)
          process.stdout.write(
            c.ok ? `ok    ${c.host}  ${c.fingerprint}\n` : `FAIL  ${c.host}  ${c.error}\n`,
          );
        return checks.every((c) => c.ok) ? 0 : 1;
      }),
    );

  const diagnostics = program
    .command('diagnostics')
    .description('list the diagnostics catalog (built-in and configured)')
    .option('--json', 'print JSON')
    .action(
      withService(getApp, async (svc) => {
        const entries = svc.catalog.list();
        if (diagnostics.opts<{ json?: boolean }>().json) {
          process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
          return 0;
        }
        // Columns: id, what it shows, the command; aligned so the list reads as a table.
        const idWidth = Math.max(...entries.map((e) => e.id.length));
        const descWidth = Math.max(...entries.map((e) => e.description.length));
        for (const e of entries) {
          const params = Object.entries(e.params)
            .map(([k, s]) => `${k}:${s.type}`)
            .join(' ');
          const command = `${e.argv.join(' ')}${params ? `  (${params})` : ''}${e.needsApproval ? '  [needs approval]' : ''}`;
          process.stdout.write(`${e.id.padEnd(idWidth)}  ${e.description.padEnd(descWidth)}  ${command}\n`);
        }
        return 0;
      }),
    );

  const run = program
    .command('run')
    .description(
      'run a catalog diagnostic on hosts or on every host with a label (same policy as chat); each host is printed as it finishes',
    )
    .argument('<id>', 'catalog id (see `faultline diagnostics`)')
    .argument('[on-hosts...]', '`on HOST[,HOST...]`, as in chat: the same as --host')
    .option('--host <names>', 'a registered host, or several separated by commas')
    .option('--label <label>', 'every host with this label')
    .option('--param <key=value>', 'a parameter (repeatable)', collectParam, {} as Record<string, string>)
    .option('--json', 'print the outcome as JSON (once every host has finished)')
    .exitOverride(usageExit);
  diagnostics.exitOverride(usageExit);
  run.action(async (id: string, words: string[]) => {
    let opts: { host?: string; label?: string; param: Record<string, string>; json?: boolean };
    try {
      opts = run.opts();
    } catch (e) {
      fail(e instanceof Error ? e.message : String(e));
    }
    if (words.length) {
      if (words.length !== 2 || words[0] !== 'on' || opts.host !== undefined)
        fail('write `run ID on HOST[,HOST...]` or `run ID --host HOST[,HOST...]`');
      opts = { ...opts, host: words[1] };
    }
    if ((opts.host === undefined) === (opts.label === undefined))
      fail('run needs exactly one of `on HOST[,HOST...]`, --host HOST[,HOST...] or --label LABEL');
    const hosts = opts.host?.split(',').map((h) => h.trim());
    await withService(getApp, async (svc, app) => {
      const who: Principal = {
        user: app.config.terminal.user,
        roles: app.config.terminal.roles,
        platform: 'terminal',
        channel: 'terminal',
        ...(osUser() !== undefined ? { osUser: osUser() } : {}),
      };
      const out = await svc.request(
        {
          ...who,
          catalogId: id,
          ...(hosts ? { hosts } : { label: opts.label }),
          params: opts.param,
        },
        opts.json ? {} : { onHost: printHost },
      );
      return printOutcome(out, Boolean(opts.json));
    })();
  });
}
