import { describe, expect, it } from 'vitest';
import { GENERIC, MatchIndex } from '../../src/match/match-index.js';
import { cleanPaste } from '../../src/match/clean.js';
import { builtinEngine } from '../helpers.js';

const { guides, top } = builtinEngine();

// Each row is one client's or platform's spelled-out form of a guide's error, written from the message
// catalogs (not taken from a corpus paste): what a user of that client would paste.
describe('the built-in guides: the wording of other clients and platforms', () => {
  it.each([
    // OpenAPI-generated clients (the Kubernetes Python client among them) print the status and its phrase
    // on two lines, as pytest shows them.
    [
      'E   kubernetes.client.exceptions.ApiException: (401)\nE   Reason: Unauthorized',
      'http-401-unauthorized',
    ],
    ['kubernetes.client.rest.ApiException: (404)\nReason: Not Found', 'http-404-not-found'],
    [
      'ApiException: (403)\nReason: Forbidden\nHTTP response headers: HTTPHeaderDict({})',
      'http-403-forbidden',
    ],
    // A DLL that will not load is a library problem in any locale, not a missing Python module (topics.md).
    ['ImportError: DLL load failed: 找不到指定的模块。', 'shared-library-error'],
    [
      'ImportError: DLL load failed while importing _cext: A dynamic link library (DLL) initialization routine failed.',
      'shared-library-error',
    ],
    // The old kubelet wording of a probe failure, whatever result it carries.
    [
      'Liveness probe for "web-5b9f_ns(344ce7ef):web" failed (failure): Get http://10.2.1.6:6766/warmup: net/http: request canceled (Client.Timeout exceeded while awaiting headers)',
      'k8s-probe-failed',
    ],
    // A registry refusing an image pull for lack of credentials is the pull failing.
    [
      'pulling image error : Error response from daemon: Head "https://1234.dkr.ecr.us-east-1.amazonaws.com/v2/app/manifests/v3": no basic auth credentials',
      'k8s-imagepullbackoff',
    ],
    // HTTP 500 pages and SDK errors that never print the number next to "Internal Server Error".
    ['Whoops, looks like something went wrong.', 'http-500-internal-server-error'],
    ["We're sorry, but something went wrong.", 'http-500-internal-server-error'],
    [
      'An error occurred (InternalError) when calling the PutObject operation (reached max retries: 4): We encountered an internal error. Please try again.',
      'http-500-internal-server-error',
    ],
    [
      'Error: 500 - {"error":{"code":500,"message":"Internal error encountered.","status":"INTERNAL"}}',
      'http-500-internal-server-error',
    ],
    // HTTP 404 from IIS, Jetty and boto3's HEAD requests (which carry no error code, only the status).
    [
      '404 - File or directory not found. The resource you are looking for might have been removed, had its name changed, or is temporarily unavailable.',
      'http-404-not-found',
    ],
    ['HTTP ERROR 404 Not Found\nURI:\t/app/\nSTATUS:\t404', 'http-404-not-found'],
    [
      'botocore.exceptions.ClientError: An error occurred (404) when calling the HeadObject operation: Not Found',
      'http-404-not-found',
    ],
    ['nginx returns 404 on refresh for my react app routes', 'http-404-not-found'],
    // MongoDB drivers: the old Node driver's first connect, the Java driver without a duration.
    // The old driver's wrapper yields to the reason it carries (as the gatherers label it), and answers alone.
    [
      'MongoNetworkError: failed to connect to server [localhost:27017] on first connect [Error: connect ECONNREFUSED 127.0.0.1:27017',
      'connection-refused',
    ],
    [
      'MongoNetworkError: failed to connect to server [db:27017] on first connect',
      'mongodb-server-selection-timeout',
    ],
    [
      'com.mongodb.MongoTimeoutException: Timed out while waiting for a server that matches ReadPreferenceServerSelector{readPreference=primary}. Client view of cluster state is {type=UNKNOWN, servers=[{address=mongo:27017, type=UNKNOWN, state=CONNECTING}]',
      'mongodb-server-selection-timeout',
    ],
    [
      'MongooseError: Operation `users.findOne()` buffering timed out after 10000ms',
      'mongodb-server-selection-timeout',
    ],
    // Clock skew in Windows, GitHub App JWTs, openid-client, Azure Storage, chrony.
    ['There is a time and/or date difference between the client and server.', 'clock-skew'],
    ["'Issued at' claim ('iat') must be an Integer representing a time in the past.", 'clock-skew'],
    ['RPError: JWT issued in the future, now 1600000000, iat 1600000005', 'clock-skew'],
    [
      "Server failed to authenticate the request. Request date header too old: 'Mon, 01 Jan 2023 00:00:00 GMT'",
      'clock-skew',
    ],
    ['chronyd[812]: System clock wrong by 312.459 seconds, adjustment started', 'clock-skew'],
    // Google's OAuth token endpoint on a JWT assertion whose iat/exp its clock rejects, with or without "(60 minutes)".
    [
      '{"error": "invalid_grant", "error_description": "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe"}',
      'clock-skew',
    ],
    // S3 SDKs quoting the AccessDenied message, and Laravel's JSON body for a missing or bad token.
    // easyssh-proxy (drone-ssh, scp-action) when the server's key is not the configured fingerprint.
    [
      '2024/01/01 10:00:00 ssh: handshake failed: ssh: host key fingerprint mismatch',
      'ssh-host-key-verification-failed',
    ],
    ['S3Error: Access Denied.', 'http-403-forbidden'],
    ['software.amazon.awssdk.services.s3.model.S3Exception: Access Denied', 'http-403-forbidden'],
    ['{"message":"Unauthenticated."}', 'http-401-unauthorized'],
    [
      '{"errors":[{"code":"AuthenticationException","status":"401","detail":"Unauthenticated."}]}',
      'http-401-unauthorized',
    ],
    // Disk I/O errors from SQLite, NVMe, md RAID and ZFS.
    ['sqlite3.OperationalError: disk I/O error', 'disk-io-error'],
    ['nvme nvme0: I/O 123 QID 4 timeout, aborting', 'disk-io-error'],
    ['md/raid1:md0: Disk failure on sdb1, disabling device.', 'disk-io-error'],
    ['errors: Permanent errors have been detected in the following files:', 'disk-io-error'],
    // .NET's TLS wrapper alone is a handshake failure; the reason it carries wins when it is there.
    [
      'System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception.',
      'tls-handshake-failure',
    ],
    [
      'System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception.\n ---> System.Security.Authentication.AuthenticationException: The remote certificate is invalid according to the validation procedure: RemoteCertificateChainErrors',
      'tls-unknown-authority',
    ],
    // Firefox's localised CORS console messages name the header in every language.
    [
      "Quellübergreifende (Cross-Origin) Anfrage blockiert: Die Gleiche-Quelle-Regel verbietet das Lesen der externen Ressource auf https://api.example.com/. (Grund: CORS-Kopfzeile 'Access-Control-Allow-Origin' fehlt).",
      'cors-request-blocked',
    ],
    [
      'Blocage d’une requête multiorigine (Cross-Origin Request) : la politique « Same Origin » ne permet pas de consulter la ressource distante située sur https://api.example.com/.',
      'cors-request-blocked',
    ],
    // Inotify limits as the JVM's WatchService and Go's fsnotify word them.
    ['java.io.IOException: User limit of inotify watches reached', 'inotify-watch-limit'],
    ['error creating new watcher: too many open files', 'inotify-watch-limit'],
    ['nginx: [warn] 4096 worker_connections exceed open file resource limit: 1024', 'too-many-open-files'],
    // Client pools: redis-py, generic-pool, Sequelize.
    ['redis.exceptions.ConnectionError: Too many connections', 'connection-pool-exhausted'],
    [
      'ResourceRequest timed out\n    at ResourceRequest._fireTimeout (node_modules/generic-pool/lib/ResourceRequest.js:62:17)',
      'connection-pool-exhausted',
    ],
    ['SequelizeConnectionAcquireTimeoutError: Operation timeout', 'connection-pool-exhausted'],
    // Kafka's admin client and producer when no broker answers.
    [
      'org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment. Call: listTopics',
      'kafka-broker-unavailable',
    ],
    [
      'org.apache.kafka.common.errors.TimeoutException: Expiring 10 record(s) for orders-0:120000 ms has passed since batch creation',
      'kafka-broker-unavailable',
    ],
    // Resolvers of conda/mamba, yarn v1, npm, Gradle and dpkg.
    [
      'Could not solve for environment specs\nThe following packages are incompatible',
      'package-dependency-conflict',
    ],
    ['error Couldn\'t find any versions for "left-pad" that matches "^9.0.0"', 'package-dependency-conflict'],
    [
      'npm ERR! code ETARGET\nnpm ERR! notarget No matching version found for left-pad@^9.0.0.',
      'package-dependency-conflict',
    ],
    ['dpkg: dependency problems prevent configuration of mysql-server:', 'package-dependency-conflict'],
    // pip's resolver explaining a conflict, pasted from below its ResolutionImpossible line.
    [
      'The conflict is caused by:\n    The user requested urllib3==2.0.4\n    botocore 1.29.0 depends on urllib3<1.27 and >=1.25.4',
      'package-dependency-conflict',
    ],
    [
      '    The user requested numpy>=2.0\n    scipy 1.10.1 depends on numpy<1.27.0',
      'package-dependency-conflict',
    ],
    // Bundler's PermissionError.
    [
      'There was an error while trying to write to `/usr/local/bundle/Gemfile.lock`. It is likely that you need to grant write permissions for that path.',
      'permission-denied',
    ],
    // Body limits of axios, browsers and Apache.
    ['Error: Request body larger than maxBodyLength limit', 'http-413-payload-too-large'],
    ['Failed to load resource: the server responded with a status of 413 ()', 'http-413-payload-too-large'],
    [
      'A required certificate is not within its validity period when verifying against the current system clock',
      'tls-certificate-expired',
    ],
    // 403 from Google's API client, Cloudflare's firewall and Django's CSRF page.
    [
      'HttpError 403 when requesting https://www.googleapis.com/bigquery/v2/projects/x/jobs returned "Access Denied: Project x"',
      'http-403-forbidden',
    ],
    [
      'Error 1020: Access denied. This website is using a security service to protect itself.',
      'http-403-forbidden',
    ],
    ['CSRF verification failed. Request aborted.', 'http-403-forbidden'],
    [
      'RESOURCE_EXHAUSTED: Quota exceeded for aiplatform.googleapis.com/generate_content_requests_per_minute',
      'http-429-too-many-requests',
    ],
    // The OOM killer as a compiler, yarn, npm and create-react-app report it.
    ['c++: fatal error: Killed signal terminated program cc1plus', 'out-of-memory-killed'],
    ['error Command failed with signal "SIGKILL".', 'out-of-memory-killed'],
    [
      'The build failed because the process exited too early. This probably means the system ran out of memory or someone called `kill -9` on the process.',
      'out-of-memory-killed',
    ],
    // Python code written for a newer interpreter: builtin generics (3.9) and `X | None` (3.10).
    [
      'File "/app/models.py", line 8, in Config\n    tags: list[str] = []\nTypeError: \'type\' object is not subscriptable',
      'runtime-version-mismatch',
    ],
    ["TypeError: unsupported operand type(s) for |: 'type' and 'NoneType'", 'runtime-version-mismatch'],
    ['the migration hangs forever waiting for a lock on the users table', 'database-lock-wait-timeout'],
    // gRPC status 14 by number (Go's old `code = 14`, the C core's JSON), the Java Mongo driver's log.
    ['rpc error: code = 14 desc = grpc: the connection is unavailable', 'grpc-unavailable'],
    [
      'No server chosen by com.mongodb.client.internal.MongoClientDelegate$1@71329995 from cluster description ClusterDescription{type=REPLICA_SET, connectionMode=MULTIPLE, serverDescriptions=[]}',
      'mongodb-server-selection-timeout',
    ],
    // Postgres's deadlock detail without its first line; npm 2's peer conflict; urllib3; systemd-coredump.
    [
      'DETAIL:  Process 24328 waits for ShareLock on transaction 16779530; blocked by process 5888.\nProcess 5888 waits for ShareLock on transaction 16779529; blocked by process 24328.',
      'database-deadlock',
    ],
    [
      "npm ERR! code EPEERINVALID\nnpm ERR! peerinvalid The package react@15.3.2 does not satisfy its siblings' peerDependencies requirements!",
      'package-dependency-conflict',
    ],
    [
      'urllib3.connection - ERROR - Certificate did not match expected hostname: 10.0.0.6. Certificate: {}',
      'tls-hostname-mismatch',
    ],
    [
      '           PID: 4533 (app)\n        Signal: 11 (SEGV)\n     Timestamp: Thu 2024-08-01 19:50:25 PDT',
      'segmentation-fault',
    ],
    [
      'Warning  FailedScheduling  16m (x3 over 17m)  default-scheduler  persistentvolumeclaim "data" not found',
      'k8s-volume-mount-failed',
    ],
    ["./configure.sh: 25: cd: can't cd to /srv/www/app/", 'file-not-found'],
    ['Fatal error: entire web request took longer than 300 seconds and timed out', 'app-worker-timeout'],
    // Pools, ports, remounts, hooks and gateways in their own products' words.
    ['Connect Timeout expired. All pooled connections are in use.', 'connection-pool-exhausted'],
    [
      'The Tomcat connector configured to listen on port 8080 failed to start. The port may already be in use or the connector may be misconfigured.',
      'address-already-in-use',
    ],
    ['mount: /: cannot remount /dev/dm-0 read-write, is write-protected.', 'read-only-file-system'],
    ['Error: failed pre-install: timed out waiting for the condition', 'helm-release-failed'],
    ['2020/05/21 02:34:00 [error] 330#330: *10136 upstream timed out (110:', 'http-504-gateway-timeout'],
    ["pymysql.err.OperationalError: (1040, 'Too many connections')", 'mysql-too-many-connections'],
    ['the liveness probe kills my container before spring boot finishes starting', 'k8s-probe-failed'],
    // A bare exit code 137 is the OOM killer's summary; the MongoDB Node driver's socket timeouts.
    [
      'the docs build gets killed during the install step with return code 137 and nothing else',
      'out-of-memory-killed',
    ],
    [
      'UnhandledPromiseRejectionWarning: Error: Context creation failed: connection 8 to db.internal:27017 timed out',
      'connection-timed-out',
    ],
    [
      'every rolling upgrade produces 503s with no_healthy_upstream from the gateway',
      'http-503-service-unavailable',
    ],
    ['parsing a deeply nested file overflows the stack unless I raise the recursion limit', 'stack-overflow'],
    // A probe line is k8s-probe-failed whatever result it carries, a database's own refusal included.
    [
      'Warning  Unhealthy  34m (x13 over 23h)  kubelet  Readiness probe failed: psql: FATAL:  sorry, too many clients already',
      'k8s-probe-failed',
    ],
    // A watcher that cannot get an inotify instance reports EMFILE: the inotify limit, not the descriptor limit.
    ['Error creating recommended watcher: Too many open files (os error 24)', 'inotify-watch-limit'],
    // A probe event whose message was cut at the terminal width still names the probe.
    ['Warning  Unhealthy  3s (x5 over 43s)  kubelet  Readiness probe failed:', 'k8s-probe-failed'],
    ['my readiness probe keeps failing after the deploy', 'k8s-probe-failed'],
  ])('%s -> %s', (text, id) => {
    expect(top(text)).toBe(id);
  });
});

describe("abstention: prose words on an error line are no guide's evidence", () => {
  it("keeps words every kind of message uses out of every guide's own words", () => {
    const index = new MatchIndex(guides);
    for (const w of [
      'script',
      'output',
      'went',
      'wrong',
      'please',
      'returns',
      'probably',
      'someone',
      'visual',
      'studio',
      'decode',
      'character',
      'note',
      'rustc',
    ]) {
      expect(GENERIC.has(w)).toBe(true);
      for (let g = 0; g < guides.length; g++) expect(index.doc(g)?.distinctive).not.toContain(w);
    }
  });

  it('leaves an npm script failure without a guide', () => {
    const paste = [
      'npm ERR! code ELIFECYCLE',
      'npm ERR! errno 1',
      'npm ERR! app@1.0.0 test: `react-scripts test`',
      'npm ERR! Exit status 1',
      'npm ERR! Failed at the app@1.0.0 test script.',
      'npm ERR! This is probably not a problem with npm. There is likely additional logging output above.',
    ].join('\n');
    expect(top(paste)).toBeNull();
  });

  it("leaves a codec's decode error without a guide (it is not a JSON response)", () => {
    expect(
      top(
        "Traceback (most recent call last):\n  File \"C:\\tools\\indexer.py\", line 69, in <module>\n    data = f.read()\nUnicodeDecodeError: 'charmap' codec can't decode byte 0x9d in position 1015: character maps to <undefined>",
      ),
    ).toBeNull();
  });

  it("leaves a database login refusal and a Kafka Connect connector's failure without a guide", () => {
    // "access denied" and "Kafka Connect" are words, not a file permission or a broker out of reach.
    expect(
      top("ERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: YES)"),
    ).toBeNull();
    expect(
      top(
        '[2018-05-10 10:31:26,341] ERROR Error while starting connector jdbc-source (org.apache.kafka.connect.runtime.WorkerConnector:108)\norg.apache.kafka.connect.errors.ConnectException: java.sql.SQLException: ORA-01017: invalid username/password; logon denied',
      ),
    ).toBeNull();
  });

  it('answers a status paraphrase with the cause the same sentence names', () => {
    expect(
      top('ran out of postgres connections: /admin returns 500 because django cannot get a db connection'),
    ).not.toBe('http-500-internal-server-error');
  });
});

describe('cleaning: a structured log record carries its message lines escaped', () => {
  it('splits an escaped message of a JSON record into its lines, all on the record line', () => {
    const record =
      '{"@timestamp":"2025-01-01T00:00:00Z","level":"ERROR","stack_trace":"java.net.ConnectException: Connection refused\\n\\tat java.base/sun.nio.ch.Net.connect0(Native Method)\\n\\tat \\"quoted\\""}';
    const paste = cleanPaste(`first line\n${record}`, 1 << 20);
    expect(paste.lines).toEqual([
      'first line',
      '{"@timestamp":"2025-01-01T00:00:00Z","level":"ERROR","stack_trace":"java.net.ConnectException: Connection refused',
      '\tat java.base/sun.nio.ch.Net.connect0(Native Method)',
      '\tat "quoted""}',
    ]);
    expect(paste.lineNumbers).toEqual([1, 2, 2, 2]);
  });

  it('leaves Windows paths and lines that are not JSON strings as they are', () => {
    const lines = [
      'Error: ENOENT: no such file or directory, open C:\\new\\node_modules\\x.js',
      'npm ERR! argv "C:\\\\Program Files\\\\nodejs\\\\node.exe"',
    ];
    expect(cleanPaste(lines.join('\n'), 1 << 20).lines).toEqual(lines);
  });

  it('finds a signature that must fill its own line inside the escaped message', () => {
    // A CI job's output logged as one JSON record: the shell's bare "Killed" is its own line again.
    const record = JSON.stringify({
      level: 'error',
      job: 'build',
      output: 'Compiling assets...\n[webpack] 81% sealing\nKilled\n',
    });
    expect(record.split('\n')).toHaveLength(1);
    expect(top(record)).toBe('out-of-memory-killed');
  });
});

// Written from the clients' own message formats: a reason inside a longer wrapper, a tool's own wording.
describe('the built-in guides: reasons inside other clients\u2019 wrappers', () => {
  it.each([
    // Dart's and BoringSSL's verify failure carries its reason after the code, with no space before the file.
    [
      'HandshakeException: Handshake error in client (OS Error: CERTIFICATE_VERIFY_FAILED: certificate has expired(handshake.cc:354))',
      'tls-certificate-expired',
    ],
    // pywin32 reports Windows error 126 (a DLL or one it needs is missing) in a tuple.
    ["pywintypes.error: (126, 'LoadLibraryEx', 'cannot find module.')", 'shared-library-error'],
    // The kubelet names a malformed image reference; the docker CLI's own usage error is no guide's.
    [
      'Warning  Failed  12s  kubelet  Failed to pull image "MyApp:latest": rpc error: code = Unknown desc = invalid reference format',
      'k8s-imagepullbackoff',
    ],
    // Heroku's router before 2013 wrote the code first; the status it records is 503.
    [
      'heroku[router]: Error H12 (Request timeout) -> POST app.herokuapp.com/sync dyno=web.1 queue= wait= service=30000ms status=503 bytes=0',
      'http-504-gateway-timeout',
    ],
    ['AxiosError: timeout of 5000ms exceeded', 'connection-timed-out'],
  ])('%s', (paste, id) => {
    expect(top(paste)).toBe(id);
  });

  it.each([
    // A test runner's own time limit (Playwright, mocha 4+ write it with a capital T) is not a network timeout.
    '  1) register.spec.js:11:1 › basic test\n\n    Timeout of 30000ms exceeded.',
    "docker: invalid reference format: repository name must be lowercase.\nSee 'docker run --help'.",
    // A database privilege (PostgreSQL's “permission denied for schema/table ...”) is no file or OS permission.
    'django.db.utils.ProgrammingError: permission denied for schema public',
    'ERROR:  permission denied for table users',
  ])('quiet: %s', (paste) => {
    expect(top(paste)).toBeNull();
  });
});
