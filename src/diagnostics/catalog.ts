import { z } from 'zod';
import { paramSpecSchema } from './param-spec.js';
import { ParamError, validateParams, type ParamValue } from './params.js';

export const CATALOG_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const PLACEHOLDER = /\{\{([a-z][a-zA-Z0-9_]*)\}\}/g;

/**
 * One whitelisted, read-only command. `argv` is a program and its arguments, never a shell string; an
 * element may hold `{param}` placeholders, replaced by validated values and then quoted as one word.
 */
export const catalogEntrySchema = z
  .object({
    id: z.string().regex(CATALOG_ID, 'must be lowercase words joined by "-"'),
    description: z.string().min(1),
    argv: z.array(z.string().min(1)).min(1),
    params: z.record(z.string().regex(/^[a-z][a-zA-Z0-9_]*$/), paramSpecSchema).default({}),
    timeoutSeconds: z.number().int().min(1).max(600).default(20),
    /** Output beyond this is not read; the command is stopped and the result marked truncated. */
    maxOutputBytes: z
      .number()
      .int()
      .min(1024)
      .max(16 * 1024 * 1024)
      .default(512 * 1024),
    /** Which end of long output the chat message shows (the full text goes to a file). */
    keep: z.enum(['head', 'tail']).default('head'),
    needsApproval: z.boolean().default(false),
    /** Built-in output interpretation run by the bot, since the command itself cannot be a pipeline. */
    summarize: z.enum(['tls-certs']).optional(),
  })
  .strict()
  .superRefine((entry, ctx) => {
    const first = entry.argv[0] ?? '';
    if (first.includes('{{'))
      ctx.addIssue({
        code: 'custom',
        path: ['argv', 0],
        message: 'the program must be a literal, not a parameter',
      });
    const used = new Set<string>();
    entry.argv.forEach((word, i) => {
      for (const m of word.matchAll(PLACEHOLDER)) {
        const name = m[1] ?? '';
        used.add(name);
        if (!Object.hasOwn(entry.params, name))
          ctx.addIssue({
            code: 'custom',
            path: ['argv', i],
            message: `uses undeclared parameter {{${name}}}`,
          });
      }
      if (/[\p{Cc}\p{Cf}]/u.test(word))
        ctx.addIssue({ code: 'custom', path: ['argv', i], message: 'contains a control character' });
    });
    for (const [name, spec] of Object.entries(entry.params)) {
      if (!used.has(name))
        ctx.addIssue({ code: 'custom', path: ['params', name], message: 'is declared but not used in argv' });
      if (spec.type === 'pattern') {
        try {
          new RegExp(spec.pattern, 'u');
        } catch {
          ctx.addIssue({
            code: 'custom',
            path: ['params', name, 'pattern'],
            message: 'is not a valid regular expression',
          });
        }
      }
    }
  });

export type CatalogEntryInput = z.input<typeof catalogEntrySchema>;
export type CatalogEntry = z.output<typeof catalogEntrySchema>;

/**
 * Fills the template. A word that starts with a placeholder and would start with `-` is refused: the
 * program would read it as an option (`--help`, `-o ProxyCommand=...`). Values inside a longer word
 * (`--since={{since}}`, `{{host}}:{{port}}`) cannot be options, so durations like `-15m` go there.
 */
export function buildArgv(
  entry: CatalogEntry,
  given: Record<string, ParamValue>,
): { argv: string[]; params: Record<string, string> } {
  const params = validateParams(entry.params, given);
  const argv = entry.argv.map((word) => {
    const filled = word.replace(PLACEHOLDER, (_m, name: string) => params[name] ?? '');
    if (filled.startsWith('-') && !word.startsWith('-')) {
      const first = /^\{\{([a-z][a-zA-Z0-9_]*)\}\}/.exec(word)?.[1] ?? 'value';
      throw new ParamError(`parameter ${first} must not start with "-"`);
    }
    return filled;
  });
  return { argv, params };
}

const entry = (e: CatalogEntryInput): CatalogEntry => catalogEntrySchema.parse(e);
const unit = { type: 'unit' } as const;
const pid = { type: 'pid' } as const;
/** A namespace: an RFC 1123 label, so it can never start with "-" and be read as an option. */
const K8S_NAME = { type: 'pattern', pattern: '[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?', maxLength: 63 } as const;
/** A pod name: an RFC 1123 subdomain. */
const K8S_OBJECT = {
  type: 'pattern',
  pattern: '[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?',
  maxLength: 253,
} as const;

/** An RBAC verb as `kubectl auth can-i` takes it; a closed list, so no value can be read as an option. */
const K8S_VERB = {
  type: 'enum' as const,
  values: [
    'get',
    'list',
    'watch',
    'create',
    'update',
    'patch',
    'delete',
    'deletecollection',
    'impersonate',
    'bind',
    'escalate',
    'use',
  ],
};
/** A resource, optionally with its API group and subresource: `pods`, `deployments.apps`, `pods/exec`. */
const K8S_RESOURCE = {
  type: 'pattern',
  pattern: '[a-z][a-z0-9-]{0,62}(?:\\.[a-z0-9-]{1,63}){0,6}(?:/[a-z]{1,30})?',
  maxLength: 200,
} as const;
/** A Helm release name: lowercase RFC 1123, at most 53 characters. */
const HELM_RELEASE = {
  type: 'pattern',
  pattern: '[a-z0-9](?:[-a-z0-9.]{0,51}[a-z0-9])?',
  maxLength: 53,
} as const;
/**
 * A base URL without path tail, query or credentials, so that appending `/_cluster/health` always gives
 * the intended endpoint (the `url` type normalises to a trailing slash, which would double it).
 */
const ES_BASE_URL = {
  type: 'pattern',
  pattern:
    'https?://[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}[A-Za-z0-9])?(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~-]{1,64}){0,4}',
  maxLength: 300,
  description: 'http(s)://host[:port][/prefix], no trailing slash, query or credentials',
} as const;
/** A whole disk under /dev (smartctl reads the device, not a partition). */
const BLOCK_DEVICE = {
  type: 'pattern',
  pattern:
    '/dev/(?:sd[a-z]{1,3}|hd[a-z]{1,3}|vd[a-z]{1,3}|xvd[a-z]{1,3}|nvme[0-9]{1,3}(?:n[0-9]{1,3})?|mmcblk[0-9]{1,3}|disk/by-id/[A-Za-z0-9._:-]{1,200})',
  maxLength: 220,
} as const;

/** The built-in read-only commands; ids are the ones guides reference (docs/guide-format.md). */
export const BUILTIN_CATALOG: readonly CatalogEntry[] = [
  entry({
    id: 'ss-established',
    description: 'Established TCP connections',
    argv: ['ss', '-tan', 'state', 'established'],
  }),
  entry({
    id: 'ss-listening',
    description: 'Listening TCP sockets and their processes',
    argv: ['ss', '-ltnp'],
  }),
  entry({ id: 'ss-summary', description: 'Socket counts by state', argv: ['ss', '-s'] }),
  entry({
    id: 'lsof-pid',
    description: 'Files a process has open',
    argv: ['lsof', '-n', '-P', '-p', '{{pid}}'],
    params: { pid },
  }),
  entry({
    id: 'proc-limits',
    description: 'Resource limits of a process (ulimit as the process sees it)',
    argv: ['cat', '/proc/{{pid}}/limits'],
    params: { pid },
  }),
  entry({
    id: 'file-nr',
    description: 'System-wide open file handles and limit',
    argv: ['cat', '/proc/sys/fs/file-nr'],
  }),
  entry({
    id: 'inotify-limits',
    description: 'inotify watch and instance limits',
    argv: ['cat', '/proc/sys/fs/inotify/max_user_watches', '/proc/sys/fs/inotify/max_user_instances'],
  }),
  entry({
    id: 'journalctl-unit',
    description: 'Recent journal of a systemd unit',
    argv: ['journalctl', '--unit={{unit}}', '--since={{since}}', '--no-pager'],
    params: { unit, since: { type: 'duration' } },
    keep: 'tail',
  }),
  entry({
    id: 'systemctl-status',
    description: 'State of a systemd unit',
    argv: ['systemctl', 'status', '--no-pager', '--', '{{unit}}'],
    params: { unit },
  }),
  entry({
    id: 'systemctl-failed',
    description: 'Failed systemd units',
    argv: ['systemctl', '--failed', '--no-pager'],
  }),
  entry({ id: 'df-blocks', description: 'Disk space by file system', argv: ['df', '-h'] }),
  entry({ id: 'df-inodes', description: 'Inodes by file system', argv: ['df', '-i'] }),
  entry({
    id: 'findmnt-ro',
    description: 'Mounts and their options (look for ro)',
    argv: ['findmnt', '-o', 'TARGET,SOURCE,FSTYPE,OPTIONS'],
  }),
  entry({ id: 'free-mem', description: 'Memory and swap in MiB', argv: ['free', '-m'] }),
  entry({ id: 'uptime', description: 'Uptime and load averages', argv: ['uptime'] }),
  entry({
    id: 'dmesg-tail',
    description: 'Kernel messages (the latest are shown)',
    argv: ['dmesg', '-T'],
    keep: 'tail',
  }),
  entry({
    id: 'ps-top-mem',
    description: 'Processes by resident memory',
    argv: ['ps', '-eo', 'pid,user,rss,vsz,comm', '--sort=-rss'],
  }),
  entry({
    id: 'getent-hosts',
    description: 'Name resolution as the system sees it',
    argv: ['getent', 'hosts', '--', '{{name}}'],
    params: { name: { type: 'hostname' } },
  }),
  entry({
    id: 'uname',
    description: 'Kernel, release and CPU architecture (for exec format errors)',
    argv: ['uname', '-s', '-r', '-m'],
  }),
  entry({
    id: 'kubectl-events',
    description: 'Recent Kubernetes events of a namespace (the latest are shown)',
    argv: ['kubectl', 'get', 'events', '--namespace={{namespace}}', '--sort-by=.lastTimestamp'],
    params: { namespace: K8S_NAME },
    keep: 'tail',
  }),
  entry({
    id: 'kubectl-describe-pod',
    description: 'kubectl describe of one pod: state, last termination reason, events',
    argv: ['kubectl', 'describe', 'pod', '--namespace={{namespace}}', '--', '{{pod}}'],
    params: { namespace: K8S_NAME, pod: K8S_OBJECT },
  }),
  entry({ id: 'resolv-conf', description: 'Resolver configuration', argv: ['cat', '/etc/resolv.conf'] }),
  entry({ id: 'ip-route', description: 'Routing table', argv: ['ip', 'route'] }),
  entry({
    id: 'tls-check',
    description: 'TLS handshake: certificate chain, dates and verification',
    argv: ['openssl', 's_client', '-connect', '{{host}}:{{port}}', '-servername', '{{host}}', '-showcerts'],
    params: { host: { type: 'hostname' }, port: { type: 'port' } },
    timeoutSeconds: 15,
    summarize: 'tls-certs',
  }),
  entry({
    id: 'http-probe',
    description: 'HTTP status and timings of a URL',
    argv: [
      'curl',
      // curl itself expands [1-20] and {a,b} in a URL into many requests: a URL is one URL.
      '--globoff',
      '-sS',
      '-o',
      '/dev/null',
      '--max-time',
      '10',
      '-w',
      'status=%{http_code} remote=%{remote_ip}:%{remote_port} dns=%{time_namelookup}s connect=%{time_connect}s tls=%{time_appconnect}s first_byte=%{time_starttransfer}s total=%{time_total}s\\n',
      '{{url}}',
    ],
    params: { url: { type: 'url' } },
    timeoutSeconds: 15,
  }),

  // Second-wave guides, part b (issue 10): storage, RBAC, nodes, Elasticsearch, clocks, disks, Helm.
  entry({
    id: 'kubectl-get-pvc',
    description: 'PersistentVolumeClaims of a namespace: status, volume, StorageClass',
    argv: ['kubectl', 'get', 'pvc', '--namespace={{namespace}}', '-o', 'wide'],
    params: { namespace: K8S_NAME },
  }),
  entry({
    id: 'kubectl-describe-pvc',
    description: 'kubectl describe of one PersistentVolumeClaim: binding, provisioner events',
    argv: ['kubectl', 'describe', 'pvc', '--namespace={{namespace}}', '--', '{{claim}}'],
    params: { namespace: K8S_NAME, claim: K8S_OBJECT },
  }),
  entry({
    id: 'kubectl-auth-can-i',
    description: 'Whether the current identity may do VERB on RESOURCE in a namespace',
    argv: ['kubectl', 'auth', 'can-i', '--namespace={{namespace}}', '--', '{{verb}}', '{{resource}}'],
    params: { namespace: K8S_NAME, verb: K8S_VERB, resource: K8S_RESOURCE },
  }),
  entry({
    id: 'kubectl-auth-can-i-as',
    description: 'Whether a service account may do VERB on RESOURCE in a namespace (impersonated)',
    argv: [
      'kubectl',
      'auth',
      'can-i',
      '--namespace={{namespace}}',
      '--as=system:serviceaccount:{{accountNamespace}}:{{serviceAccount}}',
      '--',
      '{{verb}}',
      '{{resource}}',
    ],
    params: {
      namespace: K8S_NAME,
      accountNamespace: K8S_NAME,
      serviceAccount: K8S_OBJECT,
      verb: K8S_VERB,
      resource: K8S_RESOURCE,
    },
  }),
  entry({
    id: 'kubectl-get-nodes',
    description: 'Nodes with status, roles, version, addresses and runtime',
    argv: ['kubectl', 'get', 'nodes', '-o', 'wide'],
  }),
  entry({
    id: 'kubectl-describe-node',
    description: 'kubectl describe of one node: conditions, taints, allocated resources, events',
    argv: ['kubectl', 'describe', 'node', '--', '{{node}}'],
    params: { node: K8S_OBJECT },
  }),
  entry({
    id: 'es-cluster-health',
    description: 'Elasticsearch/OpenSearch cluster health (status, unassigned shards)',
    argv: ['curl', '-sS', '--globoff', '--max-time', '10', '{{baseUrl}}/_cluster/health?pretty'],
    params: { baseUrl: ES_BASE_URL },
    timeoutSeconds: 15,
  }),
  entry({
    id: 'es-cat-allocation',
    description: 'Elasticsearch/OpenSearch disk use and shard count per node',
    argv: ['curl', '-sS', '--globoff', '--max-time', '10', '{{baseUrl}}/_cat/allocation?v'],
    params: { baseUrl: ES_BASE_URL },
    timeoutSeconds: 15,
  }),
  entry({
    id: 'timedatectl',
    description: 'System clock, time zone and whether NTP synchronisation is active',
    argv: ['timedatectl', 'status'],
  }),
  entry({
    id: 'chronyc-tracking',
    description: 'chrony: offset from the reference clock, stratum, last update',
    argv: ['chronyc', 'tracking'],
  }),
  entry({
    id: 'dmesg-io-errors',
    description: 'Kernel messages at error level and above (I/O errors, filesystem errors)',
    argv: ['dmesg', '-T', '--facility=kern', '--level=emerg,alert,crit,err'],
    keep: 'tail',
  }),
  entry({
    id: 'smartctl-health',
    description: 'SMART overall health self-assessment of one disk',
    argv: ['smartctl', '-H', '--', '{{device}}'],
    params: { device: BLOCK_DEVICE },
  }),
  entry({
    id: 'helm-status',
    description: 'Helm release status: revision, state, last deployment, notes',
    argv: ['helm', 'status', '--namespace={{namespace}}', '--', '{{release}}'],
    params: { namespace: K8S_NAME, release: HELM_RELEASE },
  }),
  entry({
    id: 'helm-history',
    description: 'Helm release history: revisions, states and descriptions',
    argv: ['helm', 'history', '--namespace={{namespace}}', '--max=20', '--', '{{release}}'],
    params: { namespace: K8S_NAME, release: HELM_RELEASE },
  }),

  // Second-wave guides, part a (HTTP status, redirects, shared libraries, runtime versions): one block so
  // parallel catalog work merges cleanly.
  entry({
    id: 'http-redirect-chain',
    description: 'Follows a URL through its redirects: final status, redirect count and final URL',
    // --globoff keeps [] and {} in the URL literal; --max-redirs ends a loop after a countable number of hops
    // instead of curl's default of 50.
    argv: [
      'curl',
      '-sS',
      '-o',
      '/dev/null',
      '--globoff',
      '--location',
      '--max-redirs',
      '15',
      '--max-time',
      '15',
      '-w',
      'status=%{http_code} redirects=%{num_redirects} final=%{url_effective} content_type=%{content_type} total=%{time_total}s\\n',
      '{{url}}',
    ],
    params: { url: { type: 'url' } },
    timeoutSeconds: 20,
  }),
  entry({
    id: 'ldd-binary',
    description: 'Shared libraries a binary needs and where the loader finds them ("not found" lines)',
    // ldd may run the program's own loader, so only paths where installed software lives are allowed, not
    // home or temporary directories where anyone could drop a file.
    argv: ['ldd', '--', '{{path}}'],
    params: {
      path: { type: 'path', roots: ['/usr', '/opt', '/bin', '/sbin', '/lib', '/lib64', '/srv', '/app'] },
    },
  }),
  entry({
    id: 'glibc-version',
    description: 'The C library version of the host (for GLIBC_x.y not found)',
    argv: ['ldd', '--version'],
  }),
  entry({ id: 'java-version', description: 'The Java runtime on PATH', argv: ['java', '-version'] }),
  entry({ id: 'node-version', description: 'The Node.js runtime on PATH', argv: ['node', '--version'] }),
  entry({
    id: 'python-version',
    description: 'The Python 3 runtime on PATH',
    argv: ['python3', '--version'],
  }),
];

export class Catalog {
  private readonly byId = new Map<string, CatalogEntry>();

  /** Team entries may not reuse a built-in id: a guide's `df-inodes` must mean the same everywhere. */
  constructor(extra: readonly CatalogEntry[] = []) {
    for (const e of [...BUILTIN_CATALOG, ...extra]) {
      if (this.byId.has(e.id)) throw new Error(`catalog id ${e.id} is defined twice`);
      this.byId.set(e.id, e);
    }
  }

  get(id: string): CatalogEntry | undefined {
    return this.byId.get(id);
  }

  list(): CatalogEntry[] {
    return [...this.byId.values()];
  }
}
