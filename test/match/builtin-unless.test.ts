import { describe, expect, it } from 'vitest';
import { builtinEngine } from '../helpers.js';

const { top } = builtinEngine();

// Messages that carry a guide's words but are another failure: the guide's `unless` patterns take those
// lines from it. Rows are written from the protocols' and libraries' own message texts.
describe("the built-in guides: a guide's words on a line that is another failure", () => {
  it.each([
    // MQTT CONNACK return codes 1-5: the broker accepted TCP and refused the session (paho, mosquitto,
    // the ESP-IDF client's reason code).
    ['Connection Refused: not authorised.', null],
    ['0x05  Connection Refused:  not authorized', null],
    ['mosquitto_sub: Connection error: Connection Refused: bad user name or password.', null],
    ['on_connect rc=2: Connection Refused: identifier rejected.', null],
    ['Connection Refused: unacceptable protocol version.', null],
    ['[MQTT WARN] Connection refuse, reason code: 5', null],
    // go-plugin logs the stdio stream's EOF whenever a Terraform provider or Packer plugin exits.
    [
      '2023-09-26T10:47:49.898-0700 [DEBUG] provider.stdio: received EOF, stopping recv loop: err="rpc error: code = Unavailable desc = error reading from server: EOF"',
      null,
    ],
    // A JSON document broken in the middle was JSON all along: Python's json module and npm's package.json
    // reader (old and new prefixes) name where it broke.
    ["json.decoder.JSONDecodeError: Expecting ',' delimiter: line 3 column 5 (char 41)", null],
    ["json.decoder.JSONDecodeError: Expecting ':' delimiter: line 1 column 9 (char 8)", null],
    // ...also when a tool reprints it with its spacing changed.
    ["JSON DecodeError in config.json: Expecting  ',' delimiter: line 954 column 2 (char 22904)", null],
    ['JSONDecodeError: Expecting property name enclosed in double quotes: line 2 column 1 (char 2)', null],
    [
      '  File "/usr/lib/python3.11/json/decoder.py", line 353, in raw_decode\n    obj, end = self.scan_once(s, idx)\njson.decoder.JSONDecodeError: Expecting \',\' delimiter: line 12 column 3 (char 210)',
      null,
    ],
    [
      'npm ERR! code EJSONPARSE\nnpm ERR! JSON.parse Unexpected token "<" (0x3C) in JSON at position 312',
      null,
    ],
    ['npm error code EJSONPARSE\nnpm error JSON.parse Failed to parse JSON data.', null],
    // GHC's own missing-module error is a Haskell build failure, not Node's resolution.
    [
      "src/Main.hs:3:1: error:\n    Could not find module `Data.Text.Lazy.Builder'\n    It is a member of the hidden package `text-1.2.4.1'.",
      null,
    ],
    ['app/Main.hs:5:1: error:\n    Could not find module ‘Control.Monad.State’', null],
    // A JVM NoSuchMethodError found the class, from a jar of another version: a dependency conflict.
    [
      'Exception in thread "main" java.lang.NoSuchMethodError: com.google.common.base.Preconditions.checkArgument(ZLjava/lang/String;Ljava/lang/Object;)V',
      null,
    ],
    // superagent's error for a request that got no response lists CORS only as one possible cause.
    [
      'Error: Request has been terminated Possible causes: the network is offline, Origin is not allowed by Access-Control-Allow-Origin, the page is being unloaded, etc.',
      null,
    ],
    // An index write block set through the settings API is no flood-stage watermark.
    [
      'org.elasticsearch.cluster.block.ClusterBlockException: index [graylog_41] blocked by: [FORBIDDEN/8/index write (api)];',
      null,
    ],
    // Argo CD's repo server could not render an app (its repository Secret is missing): no kubelet ran.
    ['ComparisonError: secret "private-repo-creds" not found', null],
    // Hypothesis fails a test that ran past its per-example deadline: a slow test, no network deadline.
    ['hypothesis.errors.DeadlineExceeded: Test took 412.77ms, which exceeds the deadline of 200.00ms', null],
    ["E   DeadlineExceeded('Test took 1250.10ms, which exceeds the deadline of 1000.00ms')", null],
    // Elasticsearch refusing watermark settings that are out of order is a settings error.
    [
      'java.lang.IllegalArgumentException: low disk watermark [92%] more than high disk watermark [90%]',
      null,
    ],
    // urllib3 rejecting a timeout setting before any connection is made.
    [
      'ValueError: Timeout value connect was <object object at 0x7f3a>, but it must be an int, float or None.',
      null,
    ],
    [
      'ValueError: Attempted to set read timeout to 0, but the timeout cannot be set to a value less than or equal to 0.',
      null,
    ],
    // TypeScript's check of a side-effect import (a stylesheet) that has no type declaration.
    [
      "src/main.tsx(3,8): error TS2882: Cannot find module or type declarations for side-effect import of './index.css'.",
      null,
    ],
    // A host application's plugin API, not the language runtime.
    ['Plugin failed to load: Api version is not compatible: 26 (minimum: 24, current: 25)', null],
    ["Could not load plugin 'Warps': Incompatible API version(s): 3.0.0", null],
    // Testcontainers' notice that its optional properties file is absent, before the real failure.
    [
      'WARN TestcontainersConfiguration: Attempted to read Testcontainers configuration file at file:/root/.testcontainers.properties but the file was not found. Exception message: FileNotFoundException: /root/.testcontainers.properties (No such file or directory)',
      null,
    ],
    // systemd's non-fatal warnings end in ", ignoring: <errno text>".
    ['systemd-journald[812]: Failed to open /dev/kmsg, ignoring: Operation not permitted', null],
    ['systemd[1]: Failed to adjust OOM score of unit, ignoring: Permission denied', null],
    // Lines that talk about the failure without showing it.
    ['The router drops blocked ports with an ICMP reject instead of a Connection refused.', null],
    [
      'Raise client_max_body_size in the vhost so that large backups do not get a HTTP 413 from the proxy.',
      null,
    ],
    ['Adds a step to the release jobs to work around signing failures caused by a clock that drifted.', null],
    // Atlantis's working-directory lock while another command runs, not Terraform's state lock.
    [
      'The default workspace at path infra/prod is currently locked by another command that is running for this pull request.\nWait until the previous command is complete and try again.',
      null,
    ],
    // systemd's unit-file parser warns about an unknown setting or section and carries on.
    [
      "systemd[1]: [/etc/systemd/system/app.service:12] Unknown lvalue 'ExecRestart' in section 'Service'",
      null,
    ],
    [
      "systemd[1]: /etc/systemd/system/app.service:3: Unknown key name 'Descripton' in section 'Unit', ignoring.",
      null,
    ],
    ["systemd[1]: /etc/systemd/system/app.service:20: Unknown section 'Instal'. Ignoring.", null],
    // A question about which worker timeout to configure: no worker was killed.
    ['Our uploads take about a minute; which --timeout should we set for the gunicorn workers?', null],
    ['Workers sometimes hang on slow reports, so I think we should also set a uwsgi harakiri.', null],
    // The worker's kill, on its own line, still answers.
    [
      'Which timeout should I set here?\n[2024-03-02 10:00:01 +0000] [12] [CRITICAL] WORKER TIMEOUT (pid:48)',
      'app-worker-timeout',
    ],
    // SQLite's schema errors, in Python's and the C API's words.
    ['sqlite3.OperationalError: no such table: chat_messages', null],
    ['Error: SQLITE_ERROR: no such column: created_at', null],
    // SQLite's SQLITE_CORRUPT and SQLITE_NOTADB: a damaged or foreign file, not a lock.
    ['sqlite3.DatabaseError: database disk image is malformed', null],
    // Header and request-line size limits are not a body over its limit.
    ['<html><head><title>400 Request Header Or Cookie Too Large</title></head>', null],
    ['HTTP/1.1 431 Request Header Fields Too Large', null],
    ["<h1>Request-URI Too Long</h1> The requested URL's length exceeds the capacity limit", null],
    ['java.lang.IllegalArgumentException: Request header is too large', null],
    // Play's error handler line heads the exception; one no guide owns gets no answer.
    [
      '! @7a1b2c3d4 - Internal server error, for (POST) [/api/orders] ->\n\nplay.api.UnexpectedException: Unexpected exception[IllegalArgumentException: requirement failed: quantity must be positive]',
      null,
    ],
    [
      "Microsoft.Data.Sqlite.SqliteException (0x80004005): SQLite Error 11: 'database disk image is malformed'.",
      null,
    ],
    ['Error: SQLITE_CORRUPT: database disk image is malformed', null],
    ['sqlite3.DatabaseError: file is not a database', null],
    ['Error: SQLITE_NOTADB: file is not a database', null],
    // mypy's import findings are a type checker's stub search, not an import that failed.
    [
      'app/main.py:3: error: Cannot find implementation or library stub for module named "yaml"  [import-not-found]',
      null,
    ],
    ['app/db.py:1: error: Library stubs not installed for "requests"  [import-untyped]', null],
    [
      'app/cli.py:2: error: Skipping analyzing "boto3": module is installed, but missing library stubs or py.typed marker  [import-untyped]',
      null,
    ],
    // Running a system read-only on purpose is a feature request, not a failed write.
    [
      'feature request: an option to make the root filesystem read-only so a power cut cannot corrupt the SD card',
      null,
    ],
    ['we should run the rootfs read-only on the appliance image', null],
    // How probes are configured or should behave, not a probe failing.
    ['enhancement: allow liveness/readiness probe settings as deployment properties', null],
    ['Readiness probe: should check that caches are warm; may take the pod out of the Service', null],
    [
      'the readiness probe runs every 5 seconds, so the app keeps getting traffic for a while after SIGTERM',
      null,
    ],
    // Django's request logger heads a traceback whose own error is the failure (here one no guide owns).
    [
      "ERROR django.request: Internal Server Error: /api/orders/\nTraceback (most recent call last):\n  File \"/app/orders/views.py\", line 40, in get\n    total = totals['net']\nKeyError: 'net'",
      null,
    ],
    // Keycloak's event log: a refused refresh grant, not a 401.
    [
      'WARN  [org.keycloak.events] (executor-thread-3) type="REFRESH_TOKEN_ERROR", realmId="0c1f", realmName="master", clientId="security-admin-console", userId="null", ipAddress="10.0.0.9", error="invalid_token", reason="Invalid refresh token", grant_type="refresh_token"',
      null,
    ],
    // A line that opens as a change request proposes a setting; its failure words are the topic.
    ['PR: set a strict per-request timeout (uwsgi harakiri) on the api workers', null],
    [
      'idea: when AWS answers "signature expired", compare its time with ours and warn about clock skew',
      null,
    ],
    ['feature request: page us when a certificate has expired, not only in the weekly report', null],
    ['Suggestion for the celery config: add a hard time limit so stuck tasks get killed', null],
    ['enhancement - retry when the API answers 503 Service Unavailable', null],
    // ...and so does one that opens as a review of a change or of the docs.
    [
      'PR idea: when helm --wait times out, list the pods whose readiness probe failed instead of a bare timeout',
      null,
    ],
    ['docs feedback: say that a failing liveness probe restarts the container, not the pod', null],
    [
      "review note: with a nodeSelector and no tolerations they sit Pending with '0/3 nodes are available: 3 node(s) had untolerated taint'",
      null,
    ],
    // React's guard against a render loop (error #185) stops a loop, not a stack.
    [
      'Error: Maximum update depth exceeded. This can happen when a component repeatedly calls setState inside componentWillUpdate or componentDidUpdate.',
      null,
    ],
    [
      'Uncaught Error: Minified React error #185; visit https://react.dev/errors/185 for the full message',
      null,
    ],
    // PHP's autoloader names a missing class in its own words; no JVM class is missing.
    [
      'PHP Fatal error:  Uncaught Error: Class "App\\Http\\Controllers\\ReportController" not found in /var/www/html/routes/web.php:14',
      null,
    ],
    ["PHP Fatal error:  Class 'Memcached' not found in /srv/www/lib/Cache.php on line 31", null],
    ['Fatal error: Uncaught Error: Interface "Psr\\Log\\LoggerInterface" not found', null],
    // A JVM stack whose exception is a bad number is that failure, Bukkit's plugin-loader frames or not.
    [
      '[12:00:01 ERROR]: Error occurred while enabling Warps v2.3 (Is it up to date?)\njava.lang.NumberFormatException: For input string: "1.20"\n\tat java.lang.Integer.parseInt(Integer.java:652)\n\tat org.bukkit.plugin.java.JavaPluginLoader.enablePlugin(JavaPluginLoader.java:340)',
      null,
    ],
    // A bot's or game server's own permission system, not the OS.
    ['The Discord bot replies "Permission denied" to every command but !help', null],
    ['every slash command answers "Permission Denied" although I have the admin role', null],
    ['command permission denied for the player even though bukkit.command.* is granted', null],
    // A test runner's own limit on a test or hook (Playwright, Jest) is a slow test, not a socket.
    ['Error: locator.waitFor: Test timeout of 30000ms exceeded.', null],
    ['Test timeout of 60000ms exceeded while running "beforeEach" hook.', null],
    ['thrown: "Exceeded timeout of 5000 ms for a test.', null],
    ['thrown: "Exceeded timeout of 10000 ms for a hook.', null],
    // Docker's client on Windows cannot open the engine's named pipe: the daemon is down, no file is missing.
    [
      'open \\\\.\\pipe\\docker_engine_linux: The system cannot find the file specified.',
      'docker-daemon-unreachable',
    ],
    // The API server refusing a spec at validation: no container was ever built from it.
    [
      'Warning  FailedCreate  statefulset-controller  create Pod web-0 in StatefulSet web failed error: Pod "web-0" is invalid: spec.containers[0].env[1].valueFrom.secretKeyRef.key: Required value',
      null,
    ],
    // Python refuses a recursion limit below the current depth: a setrecursionlimit call, no overflow.
    [
      'RecursionError: cannot set the recursion limit to 20 at the recursion depth 35: the limit is too low',
      null,
    ],
    // Windows' sharing violation, which Python raises as PermissionError: another process holds the file.
    [
      "PermissionError: [WinError 32] The process cannot access the file because it is being used by another process: 'C:\\temp\\out.log'",
      null,
    ],
    ["PermissionError: [WinError 32] 另一个程序正在使用此文件，进程无法访问。: 'D:\\data\\cache.db'", null],
    // Hibernate loading a lazy association after its session closed, however the asker words it.
    [
      'org.hibernate.LazyInitializationException: could not initialize proxy - no Session, the MySQL session has gone away',
      null,
    ],
    // A chat bot's own answer to an unknown chat command: no shell looked up a program.
    ['Our Discord bot replies "command not found" whenever someone types !helpme', null],
    // EIO from a serial link (a printer or board unplugged): the device left, no storage failed.
    ["Unexpected error while reading from serial port: OSError: '[Errno 5] Input/output error'", null],
    // A Terraform lock left by a run that died of a full disk: the lock is what fails now, not the disk.
    [
      'The apply ran out of disk space halfway; now every plan says the terraform lock is found',
      'terraform-state-lock',
    ],
    // A JSON file left with merge conflict markers: V8 quotes its first characters, no response is involved.
    ['SyntaxError: Unexpected token \'<\', "<<<<<<< HEAD"... is not valid JSON', null],
    // Terraform asking for init after a backend change: no lock is held.
    ['Backend reinitialization required. Please run "terraform init".', null],
  ])('%j -> %s', (text, expected) => {
    expect(top(text)).toBe(expected);
  });

  it.each([
    // The same guides still answer their own failure, on the same protocol and beside such a line.
    ['dial tcp 10.0.0.7:1883: connect: connection refused', 'connection-refused'],
    ['bash: helm: command not found', 'command-not-found'],
    [
      'Connection Refused: not authorised.\nError: dial tcp 127.0.0.1:1883: connect: connection refused',
      'connection-refused',
    ],
    ['rpc error: code = Unavailable desc = error reading from server: EOF', 'grpc-unavailable'],
    [
      'requests.exceptions.JSONDecodeError: Expecting value: line 1 column 1 (char 0)',
      'invalid-json-response',
    ],
    [
      "urllib3.exceptions.ReadTimeoutError: HTTPConnectionPool(host='10.0.0.5', port=80): Read timed out. (read timeout=30)",
      'connection-timed-out',
    ],
    ['Error: Error acquiring the state lock\nLock Info:\n  ID: 9db5', 'terraform-state-lock'],
    ['systemd[1]: app.service: Main process exited, code=exited, status=1/FAILURE', 'systemd-unit-failed'],
    ['sqlite3.OperationalError: database is locked', 'sqlite-database-locked'],
    ["touch: cannot touch '/etc/app.conf': Read-only file system", 'read-only-file-system'],
    [
      'Warning  Unhealthy  kubelet  Readiness probe failed: HTTP probe failed with statuscode: 503',
      'k8s-probe-failed',
    ],
    [
      'ERROR django.request: Internal Server Error: /api/orders/\ncurl: (22) The requested URL returned error: 500',
      'http-500-internal-server-error',
    ],
    ['{"error":"invalid_token","error_description":"Token is expired"} (HTTP 401)', 'http-401-unauthorized'],
    // The failure itself, on the line after a proposal, still answers.
    [
      'PR: raise the uwsgi harakiri for exports\n*** HARAKIRI ON WORKER 3 (pid: 4121, try: 1) ***',
      'app-worker-timeout',
    ],
    ['Production problem: x509: certificate has expired or is not yet valid', 'tls-certificate-expired'],
    ['Uncaught RangeError: Maximum call stack size exceeded', 'stack-overflow'],
    [
      '[12:00:01 ERROR]: Error occurred while enabling Warps v2.3 (Is it up to date?)\njava.lang.NoClassDefFoundError: net/milkbowl/vault/economy/Economy\n\tat org.bukkit.plugin.java.JavaPluginLoader.enablePlugin(JavaPluginLoader.java:340)',
      'java-class-not-found',
    ],
    ['bash: ./deploy.sh: Permission denied', 'permission-denied'],
    // The other error the line names is the one that happened.
    [
      'nc: connect to 192.0.2.8 port 5432 (tcp) failed: No route to host (the firewall answers with this rather than Connection refused)',
      'host-unreachable',
    ],
    // systemctl on a machine not booted with systemd: no system bus to reach, not a network fault.
    [
      "System has not been booted with systemd as init system (PID 1). Can't operate.\nFailed to connect to bus: Host is down",
      null,
    ],
    // An SMTP server refusing AUTH (reply 535) is a mail login, not an HTTP 401.
    ['Error sending email: 535 Authentication failed: Bad username / password', null],
    ["smtplib.SMTPAuthenticationError: (535, b'5.7.8 Username and Password not accepted.')", null],
    // A container that dies of a segmentation fault after it started was pulled fine.
    ['after pulling the new image the container keeps crashing with segmentation faults', null],
    ['Back-off pulling image "registry.example.com/app:1.4"', 'k8s-imagepullbackoff'],
    // GitHub rate-limits with a 403: its abuse and secondary-limit messages are the rate limit, not a denial.
    [
      'Octokit::AbuseDetected: POST https://api.github.com/repos/o/r/issues: 403 - You have triggered an abuse detection mechanism and have been temporarily blocked from content creation.',
      'http-429-too-many-requests',
    ],
    [
      'PUT https://api.github.com/repos/o/r/contents/x: 403 - You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      'http-429-too-many-requests',
    ],
    // A kind the API server does not serve (a removed API version, a CRD not installed) is the manifest's
    // failure, even inside Helm's UPGRADE FAILED.
    [
      'Error: UPGRADE FAILED: unable to build kubernetes objects from release manifest: resource mapping not found for name: "web" namespace: "" from "": no matches for kind "Ingress" in version "extensions/v1beta1"',
      null,
    ],
    // A build killed with SIGKILL under a raised V8 heap limit was killed from outside.
    ['Error: Command "npm run build" exited with SIGKILL', 'out-of-memory-killed'],
    [
      'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
      'node-heap-out-of-memory',
    ],
    // Bukkit's plugin loader on a jar without a plugin.yml: the jar exists, it is not a plugin.
    [
      "Could not load 'plugins/Foo-1.0.jar' in folder 'plugins'\norg.bukkit.plugin.InvalidDescriptionException: Invalid plugin.yml\nCaused by: java.io.FileNotFoundException: Jar does not contain plugin.yml",
      null,
    ],
    // A line that lists what the host is not out of.
    ['the app hangs, but we are not out of inodes, memory or disk space and nothing was killed', null],
    // A question or a request about adding a private CA is the setup, not an untrusted chain.
    [
      'We run an internal PKI for our services. Where do I add our own certificate authority in the settings?',
      null,
    ],
    [
      'Our lab signs everything with a private CA. Could you add an option to import a custom root certificate?',
      null,
    ],
    ['x509: certificate signed by unknown authority', 'tls-unknown-authority'],
    // EADDRNOTAVAIL is the address missing from the host, not a port someone holds.
    [
      'Error starting userland proxy: listen tcp 203.0.113.7:8080: bind: cannot assign requested address',
      null,
    ],
    [
      'Error starting userland proxy: listen tcp4 0.0.0.0:8080: bind: address already in use',
      'address-already-in-use',
    ],
    // kube-score's probe lint is advice about a manifest; no probe has run.
    [
      '[CRITICAL] Pod Probes\n    · Container has the same readiness and liveness probe\n        Using the same probe for liveness and readiness is very likely dangerous.',
      null,
    ],
    // Homebridge's UI warns that the server's clock is off from the browser's.
    [
      'The date and time on your Homebridge server is different to your browser. This may cause login issues.',
      'clock-skew',
    ],
    // YunoHost reading a JSON file from disk: a corrupt file, not a response that was not JSON.
    [
      'Failed to read info for myapp : Corrupted JSON read from /etc/yunohost/apps/myapp/settings.json (reason: No JSON object could be decoded)',
      null,
    ],
    [
      'Fichier JSON corrompu en lecture depuis /etc/yunohost/apps/myapp/settings.json (raison : No JSON object could be decoded)',
      null,
    ],
    // Product messages that name the cause: OpenVPN giving up on a silent server, S3 rejecting a POST policy
    // that a skewed client clock made expire, PacBot's installer finding an earlier Terraform run's lock.
    [
      'Tue Mar  4 09:12:40 2025 TLS Error: TLS key negotiation failed to occur within 60 seconds (check your network connectivity)\nTue Mar  4 09:12:40 2025 TLS Error: TLS handshake failed',
      'connection-timed-out',
    ],
    [
      '<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message></Error>',
      'clock-skew',
    ],
    [
      'Another process is running(terraform lock is found). Please wait till it completes',
      'terraform-state-lock',
    ],
    // Windows' ERROR_SEM_TIMEOUT on a socket, in English and translated, and a bind failure that names its guess.
    [
      'aiohttp.client_exceptions.ClientConnectorError: Cannot connect to host api.example.com:443 ssl:default [The semaphore timeout period has expired]',
      'connection-timed-out',
    ],
    ['OSError: [WinError 121] Превышен таймаут семафора', 'connection-timed-out'],
    ['SocketException: 信号灯超时时间已到, address = api.example.com, port = 51234', 'connection-timed-out'],
    [
      'ERROR: Could not start the server on port 80, is another program on port tcp:80?',
      'address-already-in-use',
    ],
    // Elasticsearch's index blocks answer 403 with the block's id: a block on the index, not a denied caller.
    [
      '{"error":{"root_cause":[{"type":"cluster_block_exception","reason":"blocked by: [FORBIDDEN/8/index write (api)];"}],"type":"cluster_block_exception","reason":"blocked by: [FORBIDDEN/8/index write (api)];"},"status":403}',
      null,
    ],
    // Helm pulling a chart from an OCI registry: the registry's status is the answer, not an image pull.
    [
      'Error: failed to pull chart: failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized',
      'http-401-unauthorized',
    ],
    // A failing probe named as what drives the crash loop is the probe's failure.
    [
      'The liveness probe kills the container before it has finished starting, so the pod ends up in CrashLoopBackOff.',
      'k8s-probe-failed',
    ],
    // cargo waits for another cargo's lock on its build folder: no database lock.
    ['    Blocking waiting for file lock on build directory', null],
    // Go's httputil.ReverseProxy names why it gave up on the upstream: a timeout or a reset is that failure.
    ['2021/03/04 10:12:01 http: proxy error: dial tcp 10.0.0.7:8080: i/o timeout', 'connection-timed-out'],
    [
      '2021/03/04 10:12:01 http: proxy error: read tcp 10.0.0.2:51234->10.0.0.7:9090: read: connection reset by peer',
      'connection-reset-by-peer',
    ],
    // ...while a refused dial stays the proxy's 502.
    [
      '2021/03/04 10:12:01 http: proxy error: dial tcp 127.0.0.1:9000: connect: connection refused',
      'http-502-bad-gateway',
    ],
    // A link to nginx's documentation of the body-size directive is a reference, not a 413.
    ['https://nginx.org/en/docs/http/ngx_http_core_module.html#client_max_body_size', null],
    // A probe that got a 401 back is a failing probe, not a client missing its credentials.
    [
      'the pods keep restarting because their health checks fail: the liveness check on the api container gets HTTP 401 back',
      'k8s-probe-failed',
    ],
    // Questions, proposals and change requests about a failure that has not happened: no guide answers.
    [
      'Please let the chart set the default probe parameters from values.yaml instead of hard-coding them.',
      null,
    ],
    ['What happens to the cache once the disk is full and there is no space left?', null],
    [
      'We should check free disk space before writing the image, so the user sees why instead of a cryptic "disk full".',
      null,
    ],
    ['Handle a full disk gracefully instead of crashing the UI when no space is left.', null],
    [
      'Wrong flags should be checked before the service starts instead of letting systemd fail to start the unit.',
      null,
    ],
    [
      'Raising the gunicorn worker timeout means editing ExecStart in the systemd unit; could it be read from an environment file?',
      'app-worker-timeout',
    ],
    // A wished-for error message is not the one printed; a docs link's anchor is not an eviction.
    [
      'The pod was Evicted: The node was low on resource: ephemeral-storage. I would rather the writes fail with something like "No space left on device".',
      'k8s-pod-evicted',
    ],
    [
      'https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/#pods-evicted-under-disk-pressure',
      null,
    ],
    // Exit code 132 is SIGILL (an illegal instruction), no crash loop of Kubernetes.
    ['my container keeps crashing and restarting: exited with code 132 (restarting)', null],
    // Home Assistant's config flow refusing an integration: no JVM class.
    ['Config flow could not be loaded: {"message":"Invalid handler specified"}', null],
    // A refusal told together with SSH keys is ssh's refusal of the key, no file's permissions.
    ['git clone keeps saying permission denied until I add the ssh key with ssh-add', null],
    // ext4 aborting its journal is the storage failing, before any read-only remount.
    [
      'Kernel log: write failures, then the ext4 journal aborting, and the root filesystem was remounted read-only.',
      null,
    ],
  ])('%j -> %s', (text, expected) => {
    expect(top(text)).toBe(expected);
  });
});
