/**
 * What a paste names (a pod, a host, a port, a unit, a container) and the guide commands filled with it.
 * A guide writes its commands with placeholders (`<pod>`) or stand-in values (`api.example.com`, a port);
 * what the paste does not name stays as the guide wrote it.
 */

export type OsName = 'Linux' | 'macOS' | 'Windows';

export interface PasteNames {
  pod?: string;
  namespace?: string;
  host?: string;
  /** An IPv4 address the paste connects to, reaches or fails on (not loopback, not "any"). */
  address?: string;
  port?: string;
  unit?: string;
  container?: string;
}

const HOST = String.raw`[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+`;
/** Dotted names that are files or code, not hosts. */
const NOT_HOST =
  /\.(?:py|js|ts|mjs|cjs|java|go|rb|rs|c|h|cpp|php|json|ya?ml|toml|ini|conf|log|txt|md|html|sh|service|socket|timer|so|dll|exe|jar|class|lock|pem|crt|key|sql|xml|csv|gz|zip|tar)$/i;
/** Names that say "any" or "this machine": nothing to fill with. */
const NOT_A_NAME = new Set(['localhost', '0.0.0.0', '127.0.0.1', '::', '::1']);

function first(text: string, res: RegExp[], ok: (v: string) => boolean = () => true): string | undefined {
  for (const re of res) {
    for (const m of text.matchAll(re)) {
      const v = m[1];
      if (v && ok(v)) return v;
    }
  }
  return undefined;
}

/** Reads the names a paste gives; each kind from the clearest shape that says it. */
export function pasteNames(text: string): PasteNames {
  const t = text.slice(0, 256 * 1024);
  const names: PasteNames = {};
  const pod = first(
    t,
    [/\bpods?[/ ]"?([a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?)"?/gi, /\bpod\s+"([a-z0-9][a-z0-9.-]*)"/gi],
    (v) => /-/.test(v) && !/^(?:is|was|has|not)$/i.test(v),
  );
  if (pod) names.pod = pod;
  const ns = first(t, [
    /\bnamespaces?[/ ]"?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)"?/gi,
    /\s-n\s+([a-z0-9-]+)/g,
  ]);
  if (ns) names.namespace = ns;
  const port = first(
    t,
    [/(?:\d{1,3}(?:\.\d{1,3}){3}|\]|[a-z0-9-]\.[a-z]{2,}|localhost):(\d{2,5})\b/gi, /\bport\s+(\d{2,5})\b/gi],
    (v) => Number(v) > 0 && Number(v) < 65536,
  );
  if (port) names.port = port;
  const host = first(
    t,
    [
      new RegExp(
        String.raw`\b(?:https?|wss?|ftp|ssh|postgres(?:ql)?|mysql|redis|mongodb(?:\+srv)?|amqps?)://(?:[^@/\s]+@)?(${HOST})`,
        'gi',
      ),
      new RegExp(
        String.raw`(?:host(?:name)?|server|address|resolve|lookup|connect(?:ing|ion)? to)(?:\s+at)?[\s:="'(]+(${HOST})\b`,
        'gi',
      ),
      new RegExp(String.raw`\b(${HOST}):\d{2,5}\b`, 'gi'),
    ],
    (v) => !NOT_A_NAME.has(v.toLowerCase()) && !NOT_HOST.test(v) && /[a-z]/i.test(v),
  );
  if (host) names.host = host;
  const address = first(
    t,
    [
      new RegExp(String.raw`(?<![\d.])(${IPV4}):\d{2,5}\b`, 'g'),
      new RegExp(
        String.raw`(?:host|server|address|connect(?:ing|ion)? to|dial(?:ing)?|reach|unreachable|ping(?:ing)?)[\s:="'(]+(${IPV4})(?![\d.])`,
        'gi',
      ),
    ],
    (v) => v.split('.').every((o) => Number(o) <= 255) && !NOT_A_NAME.has(v) && !v.startsWith('127.'),
  );
  if (address) names.address = address;
  const unit = first(t, [/\b([a-zA-Z0-9@_.-]+\.service)\b/g]);
  if (unit) names.unit = unit;
  const container = first(
    t,
    [/\bcontainer\s+"?([a-zA-Z0-9][a-zA-Z0-9_.-]{1,127})"?/gi],
    (v) => !NOT_CONTAINER.has(v.toLowerCase()),
  );
  if (container) names.container = container;
  return names;
}

/** Words that follow "container" in prose, not names. */
const NOT_CONTAINER = new Set(
  'is was has had with for in on of to the a an that which exited failed died runtime image id name started stopped killed restarting process'.split(
    ' ',
  ),
);

const IPV4 = String.raw`\d{1,3}(?:\.\d{1,3}){3}`;

/**
 * Stand-in values guides use in commands, by what they stand for. An address is a private one the guide
 * made up (10/8, 172.16/12, 192.168/16), not one after `@` (the DNS server `dig @` asks) or before a
 * `/` (a network, not a host).
 */
const STAND_INS: Record<'host' | 'address', RegExp> = {
  host: /\b(?:api|app|db|git|registry)?\.?example\.com\b/g,
  address:
    /(?<![@\d.])\b(?:10\.\d{1,3}|192\.168|172\.(?:1[6-9]|2\d|3[01]))\.\d{1,3}\.\d{1,3}\b(?![\d.]|\/\d)/g,
};

/**
 * A guide's commands with what the paste names. Placeholders (`<pod>`) are filled by name; the guide's
 * stand-in host and address are replaced by the paste's, and its example port (the number it uses where a
 * port goes) by the paste's port.
 */
export function fillCommands(commands: readonly string[], names: PasteNames): string[] {
  const placeholder: Record<string, string | undefined> = {
    pod: names.pod,
    namespace: names.namespace,
    host: names.host,
    address: names.address,
    ip: names.address,
    port: names.port,
    unit: names.unit,
    service: names.unit?.replace(/\.service$/, ''),
    container: names.container,
  };
  return commands.map((c) => {
    let out = c.replace(/<([a-z-]+)>/g, (whole, name: string) => placeholder[name] ?? whole);
    if (names.host) out = out.replace(STAND_INS.host, names.host);
    if (names.address) out = out.replace(STAND_INS.address, names.address);
    const port = names.port;
    if (port)
      out = out.replace(PORT_SLOT, (_, pre: string | undefined, _n, _m, unit: string | undefined) =>
        pre !== undefined ? pre + port : port + (unit ?? ''),
      );
    return out;
  });
}

/**
 * A number where a command takes a port: `host:8080`, `-Port 5000`, `-LocalPort 8080`, `sport = :8080`,
 * `8080/tcp`, `nc -vz HOST 5432`. A guide's example ports are stand-ins, like its example hosts.
 */
const PORT_SLOT =
  /(:|-(?:Local|Remote)?Port\s+|\bport\s+|\bnc\s+-\w+\s+\S+\s+)(\d{2,5})\b|\b(\d{2,5})(\/(?:tcp|udp))\b/gi;

const WINDOWS =
  /^(?:[A-Z][a-z]+-[A-Z][A-Za-z]+\b|netsh\b|findstr\b|ipconfig\b|tasklist\b|taskkill\b|sc(?:\.exe)?\s+(?:query|qc|start|stop)\b|wevtutil\b|certutil\b|reg\s+query\b|powershell\b|choco\b|winget\b|where\.exe\b|icacls\b|wmic\b|wsl\b|Resolve-DnsName\b|\$env:)|\|\s*findstr\b|\.exe\b/;
const MACOS =
  /^(?:sudo\s+)?(?:brew|launchctl|sw_vers|scutil|dscacheutil|pbcopy|pbpaste|xcode-select|xcrun|defaults|spctl|codesign|security|diskutil|networksetup|softwareupdate|mdfind|log\s+show)\b/;
const LINUX =
  /^(?:sudo\s+)?(?:systemctl|journalctl|apt(?:-get|-cache)?|dpkg|yum|dnf|rpm|apk|ss|ip|dmesg|update-ca-certificates|update-alternatives|resolvectl|nmcli|iptables|nft|ufw|firewall-cmd|getent|ldd|strace|sysctl|setenforce|getenforce|ausearch|semanage|restorecon|lsblk|blkid|findmnt|mkswap|swapon|free|vmstat|prlimit|ldconfig|modprobe|lsmod|useradd|usermod|chcon)\b|\/proc\/|\/sys\/|\/etc\/(?:systemd|apt|yum|sysctl)/;

/** The one OS a command is for, or undefined when it runs on several (or we cannot tell). */
export function commandOs(command: string): OsName | undefined {
  const c = command.trim();
  if (WINDOWS.test(c)) return 'Windows';
  if (MACOS.test(c)) return 'macOS';
  if (LINUX.test(c)) return 'Linux';
  return undefined;
}
