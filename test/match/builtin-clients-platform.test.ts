import { describe, expect, it } from 'vitest';
import { builtinEngine } from '../helpers.js';

const { top } = builtinEngine();

// Each row is one library's, product's or platform's own wording of a guide's error (Kubernetes, runtimes,
// files and databases), written from its message catalog or source, not taken from a corpus paste.
describe('the built-in guides: platform, runtime and driver wording', () => {
  it.each([
    // Connection pools: Prisma's older P2024 text, Druid, peewee's pool, a HikariCP line cut after its
    // first clause.
    [
      'Error: Timed out fetching a new connection from the pool. Please consider reducing the number of requests or increasing the `connection_limit` parameter. Current limit: 5',
      'connection-pool-exhausted',
    ],
    [
      'com.alibaba.druid.pool.GetConnectionTimeoutException: wait millis 5000, active 20, maxActive 20, creating 0',
      'connection-pool-exhausted',
    ],
    ['playhouse.pool.MaxConnectionsExceeded: Exceeded maximum connections.', 'connection-pool-exhausted'],
    ['WARN  HikariPool-2 - Connection is not available', 'connection-pool-exhausted'],
    // ...and HikariCP's message with the spaces around its dash and after the comma lost (Spring's error page).
    [
      'SQLTransientConnectionException:HikariPool-3-Connection is not available,request timed out after 5000ms',
      'connection-pool-exhausted',
    ],
    // MySQL Connector/Python once the server dropped the session.
    ['mysql.connector.errors.OperationalError: MySQL Connection not available.', 'mysql-server-gone-away'],
    // Prisma Migrate waits on a PostgreSQL advisory lock another migration holds.
    [
      'Error: P1002\nContext: Timed out trying to acquire a postgres advisory lock (SELECT pg_advisory_lock(72707369)). Elapsed: 10000ms.',
      'database-lock-wait-timeout',
    ],
    // Docker Desktop's WSL shim when the distribution has no integration: the program is not there.
    [
      "The command 'kubectl' could not be found in this WSL 2 distro.\nWe recommend to activate the WSL integration in Docker Desktop settings.",
      'command-not-found',
    ],
    // jest-worker reports a child that hit the V8 heap limit in its own words.
    [
      '  ● Test suite failed to run\n\n    Jest worker ran out of memory and crashed',
      'node-heap-out-of-memory',
    ],
    // fluent-bit's tail input gets ENOSPC from inotify_add_watch: the watch limit, not the disk.
    [
      '[2024/03/01 10:00:00] [error] [plugins/in_tail/tail_fs_inotify.c:147 errno=28] No space left on device',
      'inotify-watch-limit',
    ],
    // A kubelet probe line in any capitalisation, and OpenShift's ProbeError event ("probe error:").
    [
      'Warning  Unhealthy  Liveness Probe failed Get "http://10.1.4.9:8080/healthz" : dial tcp 10.1.4.9:8080: connect: connection refused',
      'k8s-probe-failed',
    ],
    [
      'Startup probe error: Get "https://10.128.2.7:8443/readyz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)\nbody:',
      'k8s-probe-failed',
    ],
    // A pod that no node takes only because every node is tainted not-ready or unreachable: the nodes
    // are the problem (the guides' boundary).
    [
      "0/3 nodes are available: 3 node(s) had taint {node.kubernetes.io/not-ready: }, that the pod didn't tolerate.",
      'k8s-node-not-ready',
    ],
    [
      'Warning  FailedScheduling  default-scheduler  0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
      'k8s-node-not-ready',
    ],
    // Configuration files a library looks for: Go's viper, .NET's configuration builder, Spring Boot.
    [
      'level=fatal msg="read config: Config File \\"settings\\" Not Found in \\"[/etc/svc /home/svc/.svc]\\""',
      'file-not-found',
    ],
    [
      "System.IO.FileNotFoundException: The configuration file 'appsettings.Production.json' was not found and is not optional. The expected physical path was '/app/appsettings.Production.json'.",
      'file-not-found',
    ],
    ["Config data location 'file:/config/' does not exist", 'file-not-found'],
    // Klipper's printer.cfg and its [include] files; restic's lower-case wrapper carries another reason.
    ['Unable to open config file /home/mks/printer_data/config/printer.cfg', 'file-not-found'],
    ["Include file '/home/mks/printer_data/config/macros/*.cfg' does not exist", 'file-not-found'],
    [
      'Fatal: unable to open config file: Stat: x509: certificate signed by unknown authority',
      'tls-unknown-authority',
    ],
    // pymysql on Python 2 wraps the socket error as error(N, ...): the session is what was lost.
    [
      '(2006, "MySQL server has gone away (error(104, \'Connection reset by peer\'))")',
      'mysql-server-gone-away',
    ],
    // An ENOSPC that names the watchers after it is the watch limit too.
    ['vite: Error ENOSPC while adding file watchers for ./assets', 'inotify-watch-limit'],
    // Abbreviated and plain-language forms: a unit named as failing to start, a config file by name, the
    // MySQL loss without "server", the init script's status line, a disk described as used up.
    ['nginx.service failed to start after the upgrade, journal below', 'systemd-unit-failed'],
    ['level=error msg="config.toml not found, using defaults failed"', 'file-not-found'],
    ['PDOException: Mysql has gone away.', 'mysql-server-gone-away'],
    [' * Docker is not running', 'docker-daemon-unreachable'],
    ['the CI hosts ran out of disk again overnight', 'no-space-left-on-device'],
    // A systemd block whose journal names the cause: a missing program on step EXEC, a missing log path
    // on step STDOUT (topics.md: the cause's guide, not the unit's).
    [
      '   Active: failed (Result: exit-code) since Mon 2026-03-02 08:00:01 UTC\n  Process: 812 ExecStart=/usr/local/bin/agent (code=exited, status=203/EXEC)\nMar 02 08:00:01 web1 systemd[812]: agent.service: Failed at step EXEC spawning /usr/local/bin/agent: No such file or directory',
      'command-not-found',
    ],
    [
      'Mar 02 08:00:01 web1 systemd[813]: agent.service: Failed at step STDOUT spawning /opt/agent/run: No such file or directory\nMar 02 08:00:01 web1 systemd[1]: agent.service: Main process exited, code=exited, status=209/STDOUT',
      'file-not-found',
    ],
    // The NFS client's refusal inside a kubelet mount attempt.
    [
      'mount.nfs: mount(2): No such file or directory\nmount.nfs: access denied by server while mounting 10.0.0.4:/exports/data',
      'k8s-volume-mount-failed',
    ],
    [
      "Config data resource 'class path resource [application-prod.yml]' via location 'optional:classpath:/' does not exist",
      'file-not-found',
    ],
    // .NET's assembly loader in its translated catalogs: an assembly or one it references is missing, not a
    // data file (the FileNotFoundException's own name stays the file guide's).
    [
      'Необработанное исключение: System.IO.FileNotFoundException: Не удалось загрузить файл или сборку "Acme.Core, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null" либо одну из их зависимостей.',
      'shared-library-error',
    ],
    [
      'System.IO.FileNotFoundException: Die Datei oder Assembly "Acme.Core, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null" oder eine Abhängigkeit davon wurde nicht gefunden.',
      'shared-library-error',
    ],
    [
      "System.IO.FileNotFoundException: Impossible de charger le fichier ou l'assembly 'Acme.Core, Version=1.0.0.0' ou une de ses dépendances.",
      'shared-library-error',
    ],
    [
      "System.IO.FileNotFoundException: No se puede cargar el archivo o ensamblado 'Acme.Core, Version=1.0.0.0' ni una de sus dependencias.",
      'shared-library-error',
    ],
    [
      "System.IO.FileNotFoundException: Não foi possível carregar arquivo ou assembly 'Acme.Core, Version=1.0.0.0' ou uma de suas dependências.",
      'shared-library-error',
    ],
    [
      'System.IO.FileNotFoundException: 未能加载文件或程序集“Acme.Core, Version=1.0.0.0”或它的某一个依赖项。',
      'shared-library-error',
    ],
    [
      "System.IO.FileNotFoundException: ファイルまたはアセンブリ 'Acme.Core, Version=1.0.0.0'、またはその依存関係の 1 つが読み込めませんでした。",
      'shared-library-error',
    ],
    // A roslaunch node killed by SIGSEGV, Go's write to a nil map, libusb refused the device, and the boot
    // console's pointer to a unit's status.
    [
      '[robot/driver_node-3] process has died [pid 4121, exit code -11, cmd /opt/ros/noetic/lib/driver/driver_node __name:=driver_node].',
      'segmentation-fault',
    ],
    ['panic: assignment to entry in nil map\n\ngoroutine 1 [running]:\nmain.main()', 'null-reference'],
    [
      "libusb: error [_get_usbfs_fd] libusb couldn't open USB device /dev/bus/usb/001/004: LIBUSB_ERROR_ACCESS",
      'permission-denied',
    ],
    ['usb.core.USBError: Access denied (insufficient permissions)', 'permission-denied'],
    ['OpenDevices: libusb: bad access [code -3]', 'permission-denied'],
    [
      "[FAILED] Failed to start Example Daemon.\nSee 'systemctl status example.service' for details.",
      'systemd-unit-failed',
    ],
  ])('%s -> %s', (text, id) => {
    expect(top(text)).toBe(id);
  });

  it('leaves a pod that other reasons also keep off the tainted nodes to the scheduler guide', () => {
    expect(
      top(
        '0/5 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 4 Insufficient cpu. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.',
      ),
    ).toBe('k8s-pod-unschedulable');
  });
});
