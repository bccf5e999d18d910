import { describe, expect, it } from 'vitest';
import { builtinEngine } from '../helpers.js';

const { top } = builtinEngine();

// Each row is one tool's, runtime's or kernel's spelled-out form of a guide's error (memory, disks,
// programs, paths), written from the tools' own message text, not taken from a corpus paste.
describe('the built-in guides: the wording of system tools, kernels and runtimes', () => {
  it.each([
    // Rust's ExitStatus names the signal: cargo's "process didn't exit successfully" line.
    [
      "error: could not compile `serde` (lib)\nCaused by:\n  process didn't exit successfully: `rustc --crate-name serde` (signal: 9, SIGKILL: kill)",
      'out-of-memory-killed',
    ],
    // A kernel OOM dump's memory cgroup line: usage at the limit.
    [
      'kernel: memory: usage 524288kB, limit 524288kB, failcnt 3021\nkernel: swap: usage 0kB, limit 9007199254740988kB, failcnt 0',
      'out-of-memory-killed',
    ],
    // Older V8 gave up with this line; a terminal can also cut the usual one after "near".
    [
      '#\n# Fatal error in , line 0\n# API fatal error handler returned after process out of memory\n#',
      'node-heap-out-of-memory',
    ],
    ['<--- JS stacktrace --->\nFATAL ERROR: Ineffective mark-compacts near he', 'node-heap-out-of-memory'],
    // runc's message inside a JSON error keeps its quotes escaped: the program is missing, not a data file.
    [
      'Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \\"/bin/zsh\\": stat /bin/zsh: no such file or directory: unknown',
      'command-not-found',
    ],
    [
      'tar (child): lzip: Cannot exec: No such file or directory\ntar (child): Error is not recoverable: exiting now',
      'command-not-found',
    ],
    // PowerShell wraps at the console width, so the quoted path starts the next line.
    [
      "Get-Content : Cannot find path\n'C:\\deploy\\settings.json' because it does not exist.\nAt line:1 char:1",
      'file-not-found',
    ],
    [
      "Set-Location : Cannot find path 'D:\\builds' because it does not exist.\n    + CategoryInfo          : ObjectNotFound: (D:\\builds:String) [Set-Location], ItemNotFoundException\n    + FullyQualifiedErrorId : PathNotFound,Microsoft.PowerShell.Commands.SetLocationCommand",
      'file-not-found',
    ],
    // ext4 remounts read-only because of an I/O error: the I/O error is the root symptom.
    [
      "EXT4-fs (sdb1): previous I/O error to superblock detected\nEXT4-fs (sdb1): Remounting filesystem read-only\ntouch: cannot touch '/data/x': Read-only file system",
      'disk-io-error',
    ],
    // btrfs returns the kernel's -EIO in its own words.
    [
      'BTRFS error (device sda2): failed to read chunk root: -5\nBTRFS error (device sda2): open_ctree failed: -5',
      'disk-io-error',
    ],
    // smartctl's self-test log.
    [
      'Num  Test_Description    Status                  Remaining  LifeTime(hours)  LBA_of_first_error\n# 1  Extended offline    Completed: read failure       40%     31337         1953525',
      'disk-io-error',
    ],
    // libarchive and opkg report a full filesystem in their own words.
    ['Write failed (libarchive err_code=28)', 'no-space-left-on-device'],
    [
      'Collected errors:\n * verify_pkg_installable: Only have 120kb available on filesystem /overlay, pkg tcpdump needs 312',
      'no-space-left-on-device',
    ],
    [
      'emulator: ERROR: Your device does not have enough disk space to run avd: `Pixel_API_30`.',
      'no-space-left-on-device',
    ],
    // containerd asks the registry for a token before it pulls: a refused token is the pull failing.
    [
      'Warning  Failed  12s  kubelet  Failed to pull image "harbor.example.org/apps/web:1.4": rpc error: code = Unknown desc = failed to pull and unpack image "harbor.example.org/apps/web:1.4": failed to resolve reference "harbor.example.org/apps/web:1.4": failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized',
      'k8s-imagepullbackoff',
    ],
    [
      'Error response from daemon: no available registry endpoint: failed to fetch anonymous token: unexpected status: 403 Forbidden',
      'k8s-imagepullbackoff',
    ],
    // SQL Server's deadlock victim (1205) in its localised catalogs.
    [
      'System.Data.SqlClient.SqlException (0x80131904): 事务(进程 ID 61)与另一个进程被死锁在 锁 资源上，并且已被选作死锁牺牲品。请重新运行该事务。',
      'database-deadlock',
    ],
    [
      'Die Transaktion (Prozess-ID 58) befand sich auf Sperre-Ressourcen aufgrund eines anderen Prozesses in einer Deadlocksituation und wurde als Deadlockopfer ausgewählt. Führen Sie die Transaktion erneut aus.',
      'database-deadlock',
    ],
    // The kubelet's older wording of a key missing from a ConfigMap or Secret.
    [
      'Error: configmap "app-env" references non-existent config key "LOG_LEVEL"',
      'k8s-createcontainerconfigerror',
    ],
    // A pod table whose age has two units.
    [
      'NAME                    READY   STATUS    RESTARTS   AGE\nworker-6d5f8b7c9-x2kq   0/1     Evicted   0          7m12s',
      'k8s-pod-evicted',
    ],
    // httpx raises PoolTimeout when no pooled connection frees up in time.
    [
      '  File "/app/.venv/lib/python3.12/site-packages/httpx/_transports/default.py", line 72, in map_httpcore_exceptions\n    raise mapped_exc(message) from exc\nhttpx.PoolTimeout',
      'connection-pool-exhausted',
    ],
    ['Error: EIO, read\n    at Error (native)', 'disk-io-error'],
    // A wrapped RBAC refusal that starts at the quoted subject, and the fabric8 client's own wording.
    [
      '│ "system:serviceaccount:ci:deployer" cannot get resource "deployments"\n│ in API group "apps" in the namespace "ci"',
      'k8s-rbac-forbidden',
    ],
    [
      "io.fabric8.kubernetes.client.KubernetesClientException: Failure executing: GET at: https://10.96.0.1/api/v1/namespaces/ci/pods. Message: Forbidden!Configured service account doesn't have access. Service account may have been revoked.",
      'k8s-rbac-forbidden',
    ],
    // Nextflow's report of a task that got SIGKILL.
    ['Process `align (3)` terminated with an error exit status (137)', 'out-of-memory-killed'],
    // Npgsql puts the SQLSTATE before a message that may be localised, or garbled by a code page.
    [
      'Npgsql.PostgresException (0x80004005): 28P01: la autentificaci\ufffdn password fall\ufffd para el usuario \ufffdapp\ufffd',
      'postgres-authentication-failed',
    ],
    // containerd's pull with no build for the node's platform, and podman's refused manifest.
    ['FATA[0002] no match for platform in manifest: not found', 'k8s-imagepullbackoff'],
    [
      'Error: initializing source docker://registry.example.org/team/api:2.1: reading manifest 2.1 in registry.example.org/team/api: unknown: repository team/api not found',
      'k8s-imagepullbackoff',
    ],
    // Snakemake names a rule's missing input files.
    [
      'MissingInputException in rule align in file /work/Snakefile, line 12:\nMissing input file(s) for rule align:\n    reads/sample1.fastq',
      'file-not-found',
    ],
    // javac's Chinese catalog for a class file built by a newer JDK.
    [
      '错误: 无法访问 Foo\n  错误的类文件: /app/lib/foo.jar(Foo.class)\n    类文件具有错误的版本 61.0, 应为 55.0',
      'runtime-version-mismatch',
    ],
    // JPype names the JVM's shared library it could not load.
    [
      'OSError: [Errno 2] JVM DLL not found: /usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so',
      'shared-library-error',
    ],
  ])('%s -> %s', (text, id) => {
    expect(top(text)).toBe(id);
  });
});

// A Job that used up its retries names a backoff limit, but no container is restarting in place: the
// limit alone is no crash loop.
describe('the built-in guides: a Job backoff limit is not a crash loop', () => {
  it('keeps a Job status with only its backoff limit off k8s-crashloopbackoff', () => {
    expect(
      top(
        'message: Job has reached the specified backoff limit\nreason: BackoffLimitExceeded\nstatus: "True"\ntype: Failed',
      ),
    ).not.toBe('k8s-crashloopbackoff');
  });
});

// Plain-language paraphrases people use, each in the guide's own words.
describe('the built-in guides: paraphrases of limits people hit', () => {
  it.each([
    ['the JVM heap limit is reached after two hours and the service stops', 'java-heap-out-of-memory'],
    ['our executors keep hitting the GC overhead limit', 'java-heap-out-of-memory'],
    ['the CI build fails with heap out of memory when webpack bundles', 'node-heap-out-of-memory'],
    ['the watcher fails on start because the inotify count is too low', 'inotify-watch-limit'],
    ['does class file version 61 not run on Java 11?', 'runtime-version-mismatch'],
    ['builder pods get evicted for going over their ephemeral storage limit', 'k8s-pod-evicted'],
    ['the nightly import keeps getting deadlocks when two workers update the same rows', 'database-deadlock'],
    ['the import hits a database deadlock on the orders table every night', 'database-deadlock'],
    ['the app went down once the mysql max connections were used up', 'mysql-too-many-connections'],
    ['serverless functions push postgres max connections over the limit', 'postgres-too-many-connections'],
    ['under load the connection pool runs dry within a minute', 'connection-pool-exhausted'],
    ['most of each request is spent waiting for a hikari connection', 'connection-pool-exhausted'],
    ['the nightly backup filled the disk and the database stopped', 'no-space-left-on-device'],
    ['core dumps filled up the disk on the build host', 'no-space-left-on-device'],
    ['the runner keeps failing with the disk filling up during the image build', 'no-space-left-on-device'],
    ['since the upgrade the operator pod crash-loops every few minutes', 'k8s-crashloopbackoff'],
    ['every replica of the gateway crash loops after the rollout', 'k8s-crashloopbackoff'],
  ])('%s -> %s', (text, id) => {
    expect(top(text)).toBe(id);
  });
});

// A setting's name or a URL parameter that spells a guide's token is no evidence of that guide.
describe('the built-in guides: names in settings and URLs', () => {
  it.each([
    [
      'opts := &redis.Options{Addr: "cache:6379", PoolSize: 100, PoolTimeout: 30 * time.Second}',
      'connection-pool-exhausted',
    ],
    ['GET https://chat.example.com/socket.io/?EIO=4&transport=polling&t=Pq1xZ 200 OK', 'disk-io-error'],
  ])('%s is not %s', (text, id) => {
    expect(top(text)).not.toBe(id);
  });
});

// A kubelet wrapper yields to a reason that has its own guide; a git server's refusal is not the OS's.
describe('the built-in guides: wrappers and look-alikes of filesystem errors', () => {
  it.each([
    [
      'Warning  FailedMount  12s  kubelet  MountVolume.SetUp failed for volume "data" : mkdir /var/lib/kubelet/pods/0f1e/volumes/kubernetes.io~csi/data: read-only file system',
      'read-only-file-system',
    ],
    [
      'MountVolume.MountDevice failed for volume "pvc-3c1a" : rpc error: code = Internal desc = mount failed: exit status 32, output: Read-only file system',
      'read-only-file-system',
    ],
    ['java.io.FileNotFoundException: /var/log/app/app.log (Permission denied)', 'permission-denied'],
    ["cp: cannot create regular file '/opt/app/config.yml': Permission denied", 'permission-denied'],
    ['open("/var/run/app.pid") failed (13: Permission denied)', 'permission-denied'],
    // BigQuery's IAM refusals are a 403 from the API, not a local file permission.
    [
      'google.api_core.exceptions.Forbidden: 403 Access Denied: Table proj:ds.events: Permission bigquery.tables.get denied on table proj:ds.events',
      'http-403-forbidden',
    ],
  ])('%s -> %s', (text, id) => {
    expect(top(text)).toBe(id);
  });

  it.each([
    [
      " ! [remote rejected] main -> main (permission denied)\nerror: failed to push some refs to 'https://git.example.com/team/app.git'",
      'permission-denied',
    ],
  ])('%s is not %s', (text, id) => {
    expect(top(text)).not.toBe(id);
  });
});

// pip's empty version list: no file of the package fits this interpreter, unless the index was unreachable.
describe('the built-in guides: pip finds no file for this Python', () => {
  it.each([
    [
      'ERROR: Could not find a version that satisfies the requirement numpy==1.26.0 (from versions: none)\nERROR: No matching distribution found for numpy==1.26.0',
      'runtime-version-mismatch',
    ],
    [
      '  Could not find a version that satisfies the requirement tensorflow (from versions: )\nNo matching distribution found for tensorflow',
      'runtime-version-mismatch',
    ],
    [
      'ERROR: Ignored the following versions that require a different python version: 1.26.0 Requires-Python >=3.9',
      'runtime-version-mismatch',
    ],
    // .NET: a plugin or library built for a newer runtime asks for its core assemblies' newer versions.
    [
      "System.IO.FileNotFoundException: Could not load file or assembly 'System.Runtime, Version=8.0.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a'. The system cannot find the file specified.",
      'runtime-version-mismatch',
    ],
    [
      "Could not load file or assembly 'netstandard, Version=2.1.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51' or one of its dependencies.",
      'runtime-version-mismatch',
    ],
    // A missing file of the application's own stays file-not-found.
    [
      "System.IO.FileNotFoundException: Could not find file '/app/appsettings.Production.json'.",
      'file-not-found',
    ],
    [
      "WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f3a>: Failed to establish a new connection: [Errno -3] Temporary failure in name resolution')': /simple/flask/\nERROR: Could not find a version that satisfies the requirement flask (from versions: none)",
      'dns-resolution-failed',
    ],
    // The Docker SDK for Python on Windows: Docker Desktop's named pipe is not there.
    [
      "  File \"docker\\api\\client.py\", line 214, in _retrieve_server_version\npywintypes.error: (2, 'CreateFile', 'The system cannot find the file specified.')",
      'docker-daemon-unreachable',
    ],
    // The named pipe in the Windows form.
    [
      'error during connect: Get http://%2F%2F.%2Fpipe%2Fdocker_engine/v1.40/info: open \\\\.\\pipe\\docker_engine: The system cannot find the file specified.',
      'docker-daemon-unreachable',
    ],
    [
      'Error response from daemon: open \\\\.\\pipe\\docker_engine_linux: The system cannot find the file specified.',
      'docker-daemon-unreachable',
    ],
  ])('%s -> %s', (text, id) => {
    expect(top(text)).toBe(id);
  });
});

// "Out of memory" in prose names no layer (a heap, a cgroup, Redis, malloc): no guide owns it alone.
describe('the built-in guides: out of memory without its layer', () => {
  it.each([
    ['the build runs out of memory once the project has a few hundred pages', 'cannot-allocate-memory'],
    ['when the consumers fall behind the queue can run out of memory', 'cannot-allocate-memory'],
  ])('%s is not %s', (text, id) => {
    expect(top(text)).not.toBe(id);
  });

  it.each([
    ['pandas.errors.ParserError: Error tokenizing data. C error: out of memory', 'cannot-allocate-memory'],
  ])('%s -> %s', (text, id) => {
    expect(top(text)).toBe(id);
  });
});

// kubectl apply's read of the live object, and Oracle's session pool in its drivers' words.
describe('the built-in guides: kubectl apply and Oracle session pools', () => {
  it.each([
    [
      'Error from server (Forbidden): error when retrieving current configuration of:\nResource: "apps/v1, Resource=deployments", GroupVersionKind: "apps/v1, Kind=Deployment"\nName: "web", Namespace: "shop"',
      'k8s-rbac-forbidden',
    ],
    [
      'dpiPool_acquireConnection: ORA-24459: OCISessionGet() timed out waiting for pool to create new connections',
      'connection-pool-exhausted',
    ],
    ['ORA-24496: OCISessionGet() timed out waiting for a free connection', 'connection-pool-exhausted'],
    [
      'godror: OCISessionGet() could not find a free session in the specified timeout period',
      'connection-pool-exhausted',
    ],
  ])('%s -> %s', (text, id) => {
    expect(top(text)).toBe(id);
  });
});

// Older and hand-typed wordings of a guide's own message.
describe('the built-in guides: older and hand-typed wordings', () => {
  it.each([
    // PowerShell 1.0/2.0's CommandNotFoundException, before "the name of" was added.
    [
      "The term 'Import-Module' is not recognized as a cmdlet, function, operable program, or script file. Verify the term and try again.",
      'command-not-found',
    ],
    // CrashLoopBackOff cut short or split into words.
    ['after the upgrade the api pods go into crashloopback', 'k8s-crashloopbackoff'],
    ['every pod of the release is in CrashLoopBack state', 'k8s-crashloopbackoff'],
    ['pods stuck in crash loop back off since the node restarted', 'k8s-crashloopbackoff'],
    ['after the second exit the pod went into CrashBackOffLoop', 'k8s-crashloopbackoff'],
    // Talos refuses to bootstrap until its time sync converged; services that name the caller's clock.
    [
      'error executing bootstrap: rpc error: code = FailedPrecondition desc = time is not in sync yet',
      'clock-skew',
    ],
    ['Unable to login - invalid signature (check your clock)', 'clock-skew'],
    ['Request rejected: timestamp outside the allowed window, please check your system clock', 'clock-skew'],
    // PostgreSQL's reserved-slots refusal in its translated catalogs.
    [
      'psql: FATAL:  las conexiones restantes están reservadas a superusuarios y no de replicación',
      'postgres-too-many-connections',
    ],
    [
      'FATAL:  verbleibende Verbindungen sind für Superuser auf Nicht-Replikationsverbindungen reserviert',
      'postgres-too-many-connections',
    ],
    [
      'FATAL:  les emplacements de connexions restants sont réservés aux connexions des superutilisateurs',
      'postgres-too-many-connections',
    ],
    ['FATAL:  剩余的连接槽保留给非复制超级用户连接', 'postgres-too-many-connections'],
    // zpool status on a failing device, and XFS's verifiers.
    [
      'status: One or more devices has experienced an error resulting in data\n        corruption.  Applications may be affected.',
      'disk-io-error',
    ],
    ['status: One or more devices are faulted in response to persistent errors.', 'disk-io-error'],
    [
      'XFS (nvme0n1p3): Metadata corruption detected at xfs_inode_buf_verify+0x130/0x160 [xfs], xfs_inode block 0x1c0',
      'disk-io-error',
    ],
    // The kubelet waiting for the attach/detach controller.
    [
      'E0311 09:12:01.113 1951 nestedpendingoperations.go:301] Operation for "{volumeName:kubernetes.io/csi/ebs.csi.aws.com^vol-0a1b podName: nodeName:}" failed. No retries permitted until 2024-03-11 09:12:05 (durationBeforeRetry 4s). Error: Volume has not been added to the list of VolumesInUse in the node\'s volume status for volume "data"',
      'k8s-volume-mount-failed',
    ],
    // Java 7's permanent generation, quoted short.
    ['tomcat6 dies after a few redeploys with OutOfMemoryError: PermGen', 'java-heap-out-of-memory'],
    // ld.so on a library without the binary's symbol versions.
    [
      './srcds_linux: /usr/lib/libstdc++.so.6: no version information available (required by ./srcds_linux)',
      'shared-library-error',
    ],
    // Composer's problem lines without the summary above them.
    [
      "    - Conclusion: don't install symfony/console v6.4.1 (conflict analysis result)",
      'package-dependency-conflict',
    ],
    [
      '    - monolog/monolog 3.5.0 requires psr/log ^2.0 || ^3.0 -> found psr/log[2.0.0, 3.0.0] but it conflicts with your root composer.json require (^1.1).',
      'package-dependency-conflict',
    ],
    // Testcontainers after its first failed lookup.
    [
      'java.lang.IllegalStateException: Previous attempts to find a Docker environment failed. Will not retry. Please see logs and check configuration',
      'docker-daemon-unreachable',
    ],
    // A launcher that could not start the program it was given: coreutils and util-linux wording.
    ["chroot: failed to run command '/bin/bash': No such file or directory", 'command-not-found'],
    ['timeout: failed to run command ‘pytest’: No such file or directory', 'command-not-found'],
    ['nsenter: failed to execute /bin/sh: No such file or directory', 'command-not-found'],
    // Python 2's subprocess raises the child's ENOENT with no file name; a file operation names its path.
    [
      '  File "/usr/lib/python2.7/subprocess.py", line 1343, in _execute_child\n    raise child_exception\nOSError: [Errno 2] No such file or directory',
      'command-not-found',
    ],
    ["OSError: [Errno 2] No such file or directory: '/etc/app/settings.ini'", 'file-not-found'],
    // smartctl prints its error log header only when the drive has logged ATA errors.
    [
      'SMART Error Log Version: 1\nATA Error Count: 27 (device log contains only the most recent five errors)',
      'disk-io-error',
    ],
    // PostgreSQL's missing-role refusal as drivers wrap it (sqlx, node-postgres).
    ['error returned from database: role "app" does not exist', 'postgres-authentication-failed'],
    ['error: role "deploy" does not exist', 'postgres-authentication-failed'],
    // Python on Windows: CreateProcess's ERROR_FILE_NOT_FOUND has no file name; a missing path names it.
    [
      '    hp, ht, pid, tid = _winapi.CreateProcess(executable, args,\nFileNotFoundError: [WinError 2] The system cannot find the file specified',
      'command-not-found',
    ],
    ['FileNotFoundError: [WinError 2] 系统找不到指定的文件。', 'command-not-found'],
    [
      "FileNotFoundError: [WinError 2] The system cannot find the file specified: 'C:\\\\data\\\\input.csv'",
      'file-not-found',
    ],
    // .NET's Process.Start: a Win32Exception carrying ERROR_FILE_NOT_FOUND (Windows) or ENOENT (Unix).
    [
      'System.ComponentModel.Win32Exception (0x80004005): The system cannot find the file specified\n   at System.Diagnostics.Process.StartWithCreateProcess(ProcessStartInfo startInfo)',
      'command-not-found',
    ],
    [
      'Unhandled exception. System.ComponentModel.Win32Exception (2): No such file or directory',
      'command-not-found',
    ],
    [
      'System.ComponentModel.Win32Exception (0x80004005): Das System kann die angegebene Datei nicht finden',
      'command-not-found',
    ],
    // Gunicorn's arbiter on a SIGKILLed worker: the OOM killer, unless its own WORKER TIMEOUT came first.
    [
      '[2025-03-01 10:00:01 +0000] [1] [ERROR] Worker (pid:42) was sent SIGKILL! Perhaps out of memory?',
      'out-of-memory-killed',
    ],
    // git maps packs and objects; a failed mmap is reported as an allocation failure, not a kill.
    [
      'fatal: Out of memory? mmap failed: Not enough space\nerror: failed to run repack',
      'cannot-allocate-memory',
    ],
    // metrics-server skips a node the control plane marked not ready.
    ['E0302 08:11:40.117201       1 summary.go:374] Node 10.0.4.21 is not ready', 'k8s-node-not-ready'],
    // The kernel's OOM line retyped in lower case in a question.
    [
      'the console keeps printing "out of memory: killed process 2211 (python3)" every hour',
      'out-of-memory-killed',
    ],
    // A probe's own timeout: an exec probe through the CRI, and the same said in a sentence.
    [
      'Warning  Unhealthy  41s (x9 over 5m)  kubelet  Liveness probe errored: rpc error: code = DeadlineExceeded desc = context deadline exceeded',
      'k8s-probe-failed',
    ],
    [
      'Readiness probe errored: rpc error: code = DeadlineExceeded desc = failed to exec in container: timeout 1s exceeded: context deadline exceeded',
      'k8s-probe-failed',
    ],
    ['under load the readiness check on /healthz ends in context deadline exceeded', 'k8s-probe-failed'],
    // strace of the dynamic loader: every directory on its path lacks the library.
    [
      'openat(AT_FDCWD, "/usr/lib/x86_64-linux-gnu/libpq.so.5", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)\nopenat(AT_FDCWD, "/lib/libpq.so.5", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)',
      'shared-library-error',
    ],
    // R's segfault banner and its cause line.
    [
      " *** caught segfault ***\naddress 0x18, cause 'memory not mapped'\n\nTraceback:\n 1: .Call(C_fit, x, y)",
      'segmentation-fault',
    ],
    // Older pip refuses a package whose Requires-Python excludes the running interpreter.
    [
      "ERROR: Package 'mypkg' requires Python '>=3.8' but the running Python is 3.6.9",
      'runtime-version-mismatch',
    ],
    // PyFlink cannot reach a Java class that is not on the job's jars.
    [
      "TypeError: Could not found the Java class 'org.apache.flink.connector.jdbc.JdbcSink'. The Java dependencies could be specified via command line argument '--jarfile' or the config option 'pipeline.jars'",
      'java-class-not-found',
    ],
    // The Okta / Stormpath SDK's class lookup by name.
    [
      'Unable to load class named [com.example.sdk.impl.DefaultClientBuilder] from the thread context, current, or system/application ClassLoaders.',
      'java-class-not-found',
    ],
    // V8's message retold without "JavaScript", beside other memory words.
    [
      'the CI build fails under memory pressure, the error is "heap out of memory"',
      'node-heap-out-of-memory',
    ],
    // Elasticsearch's read-only block on a full disk is its watermark, not the filesystem's ENOSPC.
    [
      'the disk is full and Elasticsearch went read-only, how do I get the indices writable again?',
      'elasticsearch-disk-watermark',
    ],
    // asyncpg names SQLSTATE 55P03 by its class.
    [
      'asyncpg.exceptions.LockNotAvailableError: canceling statement due to lock timeout',
      'database-lock-wait-timeout',
    ],
    ['asyncpg.exceptions.LockNotAvailableError: could not obtain lock', 'database-lock-wait-timeout'],
    // Godot calling a method on an object that was never created.
    ["Attempt to call function 'instance' in base 'PackedScene' on a null instance.", 'null-reference'],
    // A French ENOSPC padded by a terminal that wrapped it.
    [
      "cp: impossible d'écrire 'backup/db.sqlite': Aucun espace          disponible sur le périphérique",
      'no-space-left-on-device',
    ],
    // ImageMagick's allocation failure, and Redis' own allocator giving up.
    [
      "convert: Memory allocation failed `out.png' @ error/cache.c/OpenPixelCache/3984.",
      'cannot-allocate-memory',
    ],
    [
      "magick: Memory allocation failed `scan.tif' @ fatal/string.c/AcquireString/142.",
      'cannot-allocate-memory',
    ],
    [
      '[1234] 02 Mar 10:11:12.345 # zmalloc: Out of memory trying to allocate 1048576 bytes\n[1234] 02 Mar 10:11:12.345 # Guru Meditation: "OOM" #zmalloc.c:99',
      'cannot-allocate-memory',
    ],
    // systemd's exit status with its name, quoted on its own.
    ['after the upgrade the unit only says status=1/FAILURE and stops', 'systemd-unit-failed'],
    // bash names the script line of a missing program, in English and translated: the file it then lacks follows.
    [
      './install.sh: line 12: jq: command not found\n./install.sh: line 14: /tmp/release.json: No such file or directory',
      'command-not-found',
    ],
    [
      './setup.sh: строка 3: rsync: команда не найдена\n./setup.sh: строка 9: /opt/app/env: Нет такого файла или каталога',
      'command-not-found',
    ],
    ['./build.sh: Zeile 5: cmake: Kommando nicht gefunden.', 'command-not-found'],
    // A carriage return run as a command is the script's CRLF endings.
    ["./build.sh: line 3: $'\\r': command not found", 'exec-format-error'],
    // ...in bash's translations too, before the missing files and names the CR mangled.
    [
      "./install.sh: строка 2: $'\\r': команда не найдена\n./install.sh: строка 9: /opt/app/env: Нет такого файла или каталога\n./install.sh: строка 40: setup: команда не найдена",
      'exec-format-error',
    ],
    ["./build.sh: Zeile 4: $'\\r': Kommando nicht gefunden.", 'exec-format-error'],
    // Package managers' solvers in their own words: conda's classic solver, Spack's concretizer, pacman.
    [
      'Solving environment: failed with initial frozen solve. Retrying with flexible solve.\nFound conflicts! Looking for incompatible packages.\nThis can take several minutes.  Press CTRL-C to abort.\nfailed\n\nUnsatisfiableError:',
      'package-dependency-conflict',
    ],
    [
      "==> Error: failed to concretize `hdf5@1.14 +mpi`, `zlib@1.2` for the following reasons:\n     1. Cannot satisfy 'zlib@1.2'",
      'package-dependency-conflict',
    ],
    [
      "error: failed to prepare transaction (could not satisfy dependencies)\n:: installing openssl (3.0.0-1) breaks dependency 'openssl=1.1' required by nodejs",
      'package-dependency-conflict',
    ],
    [":: unable to satisfy dependency 'libfoo.so=2-64' required by bar", 'package-dependency-conflict'],
    // pip naming the package whose pin it could not satisfy; the direct requirement stays the interpreter's.
    [
      'Could not find a version that satisfies the requirement flask==0.9 (from acme-plugin==1.2.0) (from versions: )',
      'package-dependency-conflict',
    ],
    [
      'ERROR: Could not find a version that satisfies the requirement torch==1.4.0 (from versions: none)',
      'runtime-version-mismatch',
    ],
    // Gradle's report of a test executor killed with SIGKILL.
    [
      "Execution failed for task ':app:test'.\n> Process 'Gradle Test Executor 3' finished with non-zero exit value 137",
      'out-of-memory-killed',
    ],
    // MySQL's ER_TEMP_FILE_WRITE_FAILURE: tmpdir is full.
    ['ERROR 1878 (HY000): Temporary file write failure.', 'no-space-left-on-device'],
    // SeaORM's pool acquire timeout.
    ['Error: Failed to acquire connection from pool: Connection pool timed out', 'connection-pool-exhausted'],
    // systemd refuses to load a service unit it cannot run.
    [
      'systemd[1]: app.service: Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing.',
      'systemd-unit-failed',
    ],
    [
      'systemd[1]: backup.service: Service has more than one ExecStart= setting, which is only allowed for Type=oneshot services. Refusing.',
      'systemd-unit-failed',
    ],
    [
      'systemd[1]: worker.service lacks both ExecStart= and ExecStop= setting. Refusing.',
      'systemd-unit-failed',
    ],
    // Nushell's I/O errors for a missing path.
    ['Error: nu::shell::io::directory_not_found\n\n  × Directory not found', 'file-not-found'],
    ['Error: nu::shell::io::file_not_found\n\n  × File not found', 'file-not-found'],
    // ggml (llama.cpp, whisper.cpp) cannot allocate a backend buffer.
    [
      'llama_model_load: error loading model: failed to allocate buffer\nllama_load_model_from_file: failed to load model',
      'cannot-allocate-memory',
    ],
    [
      'ggml_backend_cpu_buffer_type_alloc_buffer: failed to allocate buffer of size 4294967296',
      'cannot-allocate-memory',
    ],
    ['ggml_gallocr_reserve_n: failed to allocate CUDA0 buffer of size 1610612736', 'cannot-allocate-memory'],
    // The kernel's negative errno for EIO, as a storage daemon logs it.
    [
      'tapdisk[812]: ERROR: errno -5 at __tapdisk_vbd_complete_td_request: req xenvbd-2-51712.3a: write 0x0008 secs @ 0x0012',
      'disk-io-error',
    ],
    // nginx names the errno of a write to a read-only filesystem; the paths it could not create follow.
    [
      'chown: /var/cache/nginx: No such file or directory\nnginx: [emerg] mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)',
      'read-only-file-system',
    ],
    ['rpc error: code = DeadlineExceeded desc = context deadline exceeded', 'context-deadline-exceeded'],
    // Older RubyGems names the gem's Ruby constraint without the running Ruby.
    ['ERROR:  Error installing sass:\n\tffi requires Ruby version >= 2.5.', 'runtime-version-mismatch'],
    // Paperless's consumer when the file it was handed is gone.
    [
      '[2024-03-02 09:12:44,101] [ERROR] [paperless.consumer] Cannot consume /usr/src/paperless/consume/scan_0042.pdf: File not found.',
      'file-not-found',
    ],
    // Windows error 126 through Python, in a Chinese Windows too.
    ['OSError: [WinError 126] The specified module could not be found', 'shared-library-error'],
    ['OSError: [WinError 126] 找不到指定的模块。', 'shared-library-error'],
    // sqlx's and r2dbc-pool's acquire timeouts.
    ['Error: PoolTimedOut', 'connection-pool-exhausted'],
    [
      'io.r2dbc.spi.R2dbcTimeoutException: Connection Acquisition timed out after 3000ms',
      'connection-pool-exhausted',
    ],
    // A macOS crash report folds a recursing stack.
    [
      '-------- RECURSION LEVEL 2048\n-------- ELIDED 2040 LEVELS OF RECURSION THROUGH 0x1004c2b10 Parser::parse_value(Lexer&) + 212',
      'stack-overflow',
    ],
    // wg-quick when the interface's config file is missing, under a failed unit's journal.
    [
      "● wg-quick@wg1.service - WireGuard via wg-quick(8) for wg1\n     Active: failed (Result: exit-code) since Mon 2026-11-23 10:02:11 UTC; 5s ago\nNov 23 10:02:11 gw wg-quick[812]: wg-quick: `/etc/wireguard/wg1.conf' does not exist",
      'file-not-found',
    ],
    // sitespeed.io's check of a script file named on the command line.
    ["Error: 'tests/checkout.mjs' does not exist, is the path to the file correct?", 'file-not-found'],
    // Batch schedulers that kill a job over its memory request: PBS/Torque, Slurm, LSF.
    ['=>> PBS: job killed: mem 2097152kb exceeded limit 1048576kb', 'out-of-memory-killed'],
    ['=>> PBS: job killed: vmem job total 8388608 kb exceeded limit 4194304 kb', 'out-of-memory-killed'],
    ['slurmstepd: error: Exceeded job memory limit', 'out-of-memory-killed'],
    [
      'slurmstepd: error: Job 4412 exceeded memory limit (2199348 > 2097152), being killed',
      'out-of-memory-killed',
    ],
    ['TERM_MEMLIMIT: job killed after reaching LSF memory usage limit.', 'out-of-memory-killed'],
    // The .NET SDK's NETSDK1045 in its older form, naming .NET Core.
    [
      'error : The current .NET SDK does not support targeting .NET Core 3.1.  Either target .NET Core 3.0 or lower, or use a version of the .NET SDK that supports .NET Core 3.1.',
      'runtime-version-mismatch',
    ],
    // Flink's client wraps the NoClassDefFoundError under the job's main class (its slash path).
    [
      'java.lang.RuntimeException: Could not look up the main(String[]) method from the class com.example.Job: org/apache/flink/connector/jdbc/JdbcSink',
      'java-class-not-found',
    ],
    // cmd.exe's message put back into English from a Chinese or Korean Windows.
    [
      "'gradle' is not an internal or external command, nor is it a runnable program or batch file.",
      'command-not-found',
    ],
    // git when a write fails after the file was created: the disk filled up during a checkout.
    [
      "error: unable to write file src/vendor/icons/sprite.svg\nerror: unable to write file src/vendor/icons/index.js\nfatal: cannot create directory at 'src/vendor/fonts'",
      'no-space-left-on-device',
    ],
    ['fatal: unable to write new index file', 'no-space-left-on-device'],
    // "disk full" as Chinese programs word it.
    ['保存失败：磁盘已满', 'no-space-left-on-device'],
    // Odoo's prefork server ends a worker past limit_time_cpu or limit_time_real.
    [
      '2026-11-24 08:12:40,117 31 INFO prod odoo.service.server: Worker (31) CPU time limit (60) reached.\nException: CPU time limit exceeded.',
      'app-worker-timeout',
    ],
    [
      '2026-11-24 08:15:02,551 7 ERROR ? odoo.service.server: WorkerHTTP (44) timeout after 120s',
      'app-worker-timeout',
    ],
    [
      '2026-11-24 08:15:02,551 44 INFO prod odoo.service.server: Worker (44) virtual real time limit (121/120s) reached.',
      'app-worker-timeout',
    ],
    // Python's TypeError for `in` on None.
    [
      'Traceback (most recent call last):\n  File "/srv/app/hooks.py", line 41, in on_event\n    if "user" not in data:\nTypeError: argument of type \'NoneType\' is not iterable',
      'null-reference',
    ],
    // setuptools' pkg_resources on an interpreter it no longer supports.
    [
      '/opt/py33/lib/python3.3/site-packages/pkg_resources/__init__.py:84: UserWarning: Support for Python 3.0-3.3 has been dropped. Future versions will fail here.\n  warnings.warn(msg)',
      'runtime-version-mismatch',
    ],
    // musl's strerror(EMFILE), as an Alpine or OpenWrt daemon logs it.
    ['daemon.err ss-server[2210]: accept: No file descriptors available', 'too-many-open-files'],
    // crlib's allocator (YaPB) when malloc returns nothing.
    ['Failed to allocate 16 megabytes of memory. Closing down.', 'cannot-allocate-memory'],
    // SafeObjectPool (FreeSql, CSRedisCore) when Get waits past its timeout.
    [
      'System.TimeoutException: SafeObjectPool.Get 获取超时（10秒），设置 Policy.IsThrowGetTimeoutException 可以避免该异常。',
      'connection-pool-exhausted',
    ],
  ])('%s -> %s', (text, id) => {
    expect(top(text)).toBe(id);
  });
});

// Products' own words for a guide's failure, and translated forms retyped with a particle or word dropped.
describe('the built-in guides: daemons, panels and build tools in their own words', () => {
  it.each([
    // Qt's QMYSQL driver after MariaDB Connector/C's CR_SERVER_GONE_ERROR.
    ["QSqlError: 'Server has gone away QMYSQL: Unable to execute query'", 'mysql-server-gone-away'],
    // rack-timeout's log line for a request it cut off.
    ['source=rack-timeout id=4f1c timeout=15000ms service=15001ms state=timed_out', 'app-worker-timeout'],
    // Pterodactyl's daemon after the container's memory limit killed the server.
    [
      '[Pterodactyl Daemon]: Exit code: 137\n[Pterodactyl Daemon]: Out of memory: true',
      'out-of-memory-killed',
    ],
    // The kernel's task dump before the OOM killer picks a victim.
    [
      '[ pid ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n[   412]     0   412    12345      678    94208        0             0 systemd-journal',
      'out-of-memory-killed',
    ],
    ['[ 20511]  1000 20511   805311   412930  4063232        0             0 java', 'out-of-memory-killed'],
    // node-gyp finds no Python interpreter.
    [
      'gyp ERR! configure error\ngyp ERR! stack Error: Could not find any Python installation to use',
      'command-not-found',
    ],
    [
      'gyp ERR! stack Error: Can\'t find Python executable "python", you can set the PYTHON env variable.',
      'command-not-found',
    ],
    // sc.exe when the service manager refuses the call with ERROR_ACCESS_DENIED.
    ['[SC] OpenService FAILED 5:\n\nAccess is denied.', 'permission-denied'],
    ['[SC] StartService FAILED 5:', 'permission-denied'],
    // Nextcloud's check that the web server's user can write its data directory.
    ['Cannot create or write into the data directory /var/www/html/data', 'permission-denied'],
    // The Chinese .NET NullReferenceException message as people retype it.
    ['运行时报错：未将对象引用到对象的实例', 'null-reference'],
    // GRUB when the firmware fails to read or write a sector.
    ["error: ../grub-core/kern/disk.c:421: failure reading sector 0x1c80 from `hd0'.", 'disk-io-error'],
    // The SCSI disk driver on a write-protected medium; ext4 then cannot replay its journal.
    ['sd 1:0:0:0: [sdb] Write Protect is on', 'read-only-file-system'],
    [
      'EXT4-fs (sdb1): write access unavailable, cannot proceed (try mounting with noload)',
      'read-only-file-system',
    ],
    // Korean prose attaches a particle to the translated message.
    ['프로그램이 세그멘테이션 오류로 죽습니다', 'segmentation-fault'],
    // Korean literals are found as substrings: the particle glued to their last word (오류가, 초과로) is no
    // word boundary and no token of the message.
    ['파일을 읽는 중 입력/출력 오류가 발생했습니다', 'disk-io-error'],
    ['백업 스크립트: 연결 시간 초과로 업로드 실패', 'connection-timed-out'],
    ['로그 기록 중 장치에 남은 공간이 없음으로 종료', 'no-space-left-on-device'],
    // zpool status on a pool suspended after its devices failed I/O.
    [
      " state: SUSPENDED\nstatus: One or more devices are faulted in response to IO failures.\naction: Make sure the affected devices are connected, then run 'zpool clear'.",
      'disk-io-error',
    ],
    // smartd's warning mail when the drive's ATA error log grows.
    ['Device: /dev/sdb [SAT], ATA error count increased from 2 to 7', 'disk-io-error'],
    // Docker Compose with no compose file where it looks (v1 and v2).
    [
      "ERROR: Can't find a suitable configuration file in this directory or any parent. Are you in the right directory?",
      'file-not-found',
    ],
    ['no configuration file provided: not found', 'file-not-found'],
    // PocketMine-MP checks a plugin's required PHP (its `Core` extension) against the running one.
    [
      "[Server thread/CRITICAL]: Could not load plugin 'Shop': Required extension Core has an incompatible version (7.4.33 not >=8.1)",
      'runtime-version-mismatch',
    ],
    // Older Redis words its allocator's failure, then raises SIGSEGV itself to print the stack.
    [
      '[811] 02 Mar 10:00:00.000 # Out Of Memory allocating 4096 bytes!\n[811] 02 Mar 10:00:00.001 # Guru Meditation: "Redis aborting for OUT OF MEMORY" #redis.c:2914\n[811] 02 Mar 10:00:00.001 # (forcing SIGSEGV in order to print the stack trace)',
      'cannot-allocate-memory',
    ],
    // Node.js before 14.18 / 16 does not know the `node:` prefix of its core modules.
    [
      "Error: Cannot find module 'node:fs/promises'\nRequire stack:\n- /srv/app/index.js",
      'runtime-version-mismatch',
    ],
    ['Error [ERR_UNKNOWN_BUILTIN_MODULE]: No such built-in module: node:test', 'runtime-version-mismatch'],
    // Elixir's System.cmd when the program is not on PATH.
    [
      '** (ErlangError) Erlang error: :enoent\n    (elixir) lib/system.ex:622: System.cmd("gcc", [], [])',
      'command-not-found',
    ],
    // Rust's notify crate when inotify runs out of watches (ENOSPC), not the disk.
    [
      'Error: unable to create watcher: Io(Os { code: 28, kind: StorageFull, message: "No space left on device" })',
      'inotify-watch-limit',
    ],
    // ZFS's event classes for a device's failed I/O, and the UAS driver aborting commands a USB disk stopped answering.
    ['Mar  2 2024 10:00:00.000000000 ereport.fs.zfs.io', 'disk-io-error'],
    ['sd 1:0:0:0: [sdb] tag#7 uas_eh_abort_handler 0 uas-tag 2 inflight: CMD OUT', 'disk-io-error'],
    // The MMC/SD driver when the card stops answering.
    [
      '[  812.000001] mmcblk0: error -110 transferring data, sector 2048, nr 8, cmd response 0x900, card status 0xc00',
      'disk-io-error',
    ],
    ['mmc0: Timeout waiting for hardware interrupt - cmd25.', 'disk-io-error'],
    // Dask's nanny restarts a worker past its memory limit.
    [
      'distributed.nanny.memory - WARNING - Worker tcp://10.0.0.5:40211 (pid=812) exceeded 95% memory budget. Restarting...',
      'out-of-memory-killed',
    ],
    // Ubuntu's command-not-found handler in Chinese.
    ['找不到命令 “htop”，但可以通过以下软件包安装它：\nsudo apt install htop', 'command-not-found'],
    // glibc's Turkish, Korean, Italian, Portuguese, Polish and Traditional Chinese errno texts.
    ["open('/var/lib/app/state.db'): Erişim engellendi", 'permission-denied'],
    ['chown: /srv/data: İşleme izin verilmedi', 'permission-denied'],
    ['bash: ./run.sh: 허가 거부', 'permission-denied'],
    ["cp: impossibile aprire '/etc/shadow' in lettura: Permesso negato", 'permission-denied'],
    ["touch: não foi possível tocar '/opt/x': Permissão negada", 'permission-denied'],
    ['kill: (812) - Operacja niedozwolona', 'permission-denied'],
    ['bash: ./deploy.sh: 拒絕不符權限的操作', 'permission-denied'],
    ["mkdir: '/mnt/usb/yedek' dizini oluşturulamıyor: Aygıt üzerinde boş yer yok", 'no-space-left-on-device'],
    ['cat: /etc/app/config.yml: Böyle bir dosya ya da dizin yok', 'file-not-found'],
    ['accept: Çok fazla açık dosya', 'too-many-open-files'],
    // Go's resolver could not open a socket to the DNS server: the descriptors ran out, not the name.
    [
      'Get "https://api.example.com/v1": dial tcp: lookup api.example.com on 10.0.0.2:53: dial udp 10.0.0.2:53: socket: too many open files',
      'too-many-open-files',
    ],
    ['bash: fork: Bellek ayrılamadı', 'cannot-allocate-memory'],
    ["touch: '/boot/x' dokunulamıyor: Salt-okunur dosya sistemi", 'read-only-file-system'],
    ['bash: ./app: Çalıştırılabilir biçem hatası', 'exec-format-error'],
    ['Parçalama arızası (core dumped)', 'segmentation-fault'],
    // Chia's GUI explains errno 13 from its daemon in its translated catalogs.
    ['[Error 13] İzin reddedildi. Bir dosyaya erişmeye çalışıyorsunuz.', 'permission-denied'],
    ['[오류 13] 권한이 거부 되었습니다.', 'permission-denied'],
    ['[错误 13] 权限被拒绝。', 'permission-denied'],
    // ESLint 6-8 when a plugin from its config is not installed where it resolves from.
    [
      'ESLint couldn\'t find the plugin "eslint-plugin-import".\n\n(The package "eslint-plugin-import" was not found when loaded as a Node module from the directory "/srv/web".)',
      'node-module-not-found',
    ],
    // CMake's configure_file() without its template.
    [
      'CMake Error: File /src/proj/version.h.in does not exist.\nCMake Error at CMakeLists.txt:9 (configure_file):\n  configure_file Problem configuring file',
      'file-not-found',
    ],
    // Paperless' start-up checks of its directory settings.
    ['?: PAPERLESS_MEDIA_ROOT is not writeable', 'permission-denied'],
    ["?: PAPERLESS_DATA_DIR is set but doesn't exist.", 'file-not-found'],
    // VS Code's notice when the file watcher runs out of inotify watches, in its later wordings.
    [
      'Unable to watch for file changes in this large workspace folder. Please follow the instructions link to resolve this issue.',
      'inotify-watch-limit',
    ],
    [
      'Unable to watch for file changes. Please follow the instructions link to resolve this issue.',
      'inotify-watch-limit',
    ],
    // mysqljs' pool past its queueLimit.
    [
      "Error: Queue limit reached.\n    at Pool.getConnection (/srv/api/node_modules/mysql/lib/Pool.js:60:19) {\n  code: 'POOL_ENQUEUELIMIT'",
      'connection-pool-exhausted',
    ],
    // Electron's asar reader when a required module was left out of app.asar.
    [
      'Uncaught Error: ENOENT, node_modules\\left-pad not found in C:\\Apps\\demo\\resources\\app.asar',
      'node-module-not-found',
    ],
    // The java launcher's @argfile that is not there.
    ["Error: could not open `jvm-args.txt'", 'file-not-found'],
    // Ansible's copy, template and lookup sources that no search path holds.
    [
      'fatal: [web1]: FAILED! => {"changed": false, "msg": "Unable to find \'files/nginx.conf\' in expected paths (use -vvvvv to see paths)"}',
      'file-not-found',
    ],
    [
      'fatal: [db2]: FAILED! => {"msg": "Could not find or access \'templates/my.cnf.j2\'\\nSearched in:"}',
      'file-not-found',
    ],
    // nvim-lspconfig's health check and pandoc's missing PDF engine.
    ['- ERROR: pyright: The given command "pyright-langserver" is not executable.', 'command-not-found'],
    ['pandoc: xelatex not found. xelatex is needed for pdf output.', 'command-not-found'],
    ['xelatex not found. Please select a different --pdf-engine or install xelatex', 'command-not-found'],
    // busybox ash's exec builtin, Snakemake's missing input, MATLAB's cd, and a back-translated errno text.
    ['/docker-entrypoint.sh: exec: line 12: /usr/bin/python3: not found', 'command-not-found'],
    [
      'WorkflowError:\n    File data/samples.tsv cannot be opened, since it does not exist.',
      'file-not-found',
    ],
    ['Error using cd\nCannot CD to /data/run7 (Name is nonexistent or not a directory).', 'file-not-found'],
    ['./backup.sh: line 9: /var/log/backup/run.log: No such file or catalog', 'file-not-found'],
    // PHP 5's null dereference, and a segfault line back-translated from Chinese.
    [
      'PHP Fatal error:  Call to a member function query() on a non-object in /var/www/lib/db.php on line 12',
      'null-reference',
    ],
    ['./solver input.txt\nSegment error (core dumped)', 'segmentation-fault'],
    // reactor-pool behind Reactor Netty's HttpClient and WebClient.
    [
      'reactor.netty.internal.shaded.reactor.pool.PoolAcquirePendingLimitException: Pending acquire queue has reached its maximum size of 500',
      'connection-pool-exhausted',
    ],
    [
      'WebClientRequestException: Pool#acquire(Duration) has been pending for more than the configured timeout of 45000ms',
      'connection-pool-exhausted',
    ],
    // AppImage's runtime without FUSE 2, ldd's missing-library rows, and Spyder's unwritable runtime folder.
    [
      'dlopen(): error loading libfuse.so.2\n\nAppImages require FUSE to run.\nYou might still be able to extract the contents of this AppImage',
      'shared-library-error',
    ],
    [
      '\tlibicuuc.so.66 => not found\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f3a1c000000)',
      'shared-library-error',
    ],
    [
      'The directory /home/ana/.local/share/jupyter/runtime is not writable and it is required to create IPython consoles. Please make it writable.',
      'permission-denied',
    ],
    ['/opt/app/bin/run.sh に実行権限がありません。', 'permission-denied'],
    ['ディレクトリ /var/www/data に書き込み権限がありません', 'permission-denied'],
    ['tar: /mnt/backup/archive.tar: Cannot open: read only file system', 'read-only-file-system'],
    // Moonraker's config loader, and Quartz.NET's row lock under SqlClient's command timeout.
    [
      "confighelper.ConfigError: Configuration File Not Found: '/home/pi/klipper_config/moonraker.conf'",
      'file-not-found',
    ],
    [
      'Quartz.Impl.AdoJobStore.LockException: Failure obtaining db row lock: Execution Timeout Expired.  The timeout period elapsed prior to completion of the operation or the server is not responding.',
      'database-lock-wait-timeout',
    ],
  ])('%s -> %s', (text, id) => {
    expect(top(text)).toBe(id);
  });
});
