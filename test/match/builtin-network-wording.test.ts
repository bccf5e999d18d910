import { describe, expect, it } from 'vitest';
import { builtinEngine } from '../helpers.js';

const { top } = builtinEngine();

// More clients', browsers' and locales' forms of the network, TLS and HTTP guides' messages (tuning
// groups 1 and 2, fifteenth pass). Each row is written from the message's catalog or source, not taken
// from a paste.
describe('the built-in guides: more wordings of network and HTTP failures', () => {
  it.each([
    // The BSD/macOS strerror of ETIMEDOUT behind curl's and PHP's own prefixes.
    ['curl: (56) Recv failure: Operation timed out', 'connection-timed-out'],
    ['curl: (55) Send failure: Operation timed out', 'connection-timed-out'],
    // musl's and the BSDs' ETIMEDOUT after a connect that names itself; alone, a client's own "operation
    // timed out" says nothing about a connection.
    ['nc: connect to 10.0.0.5 port 443 (tcp) failed: Operation timed out', 'connection-timed-out'],
    ['wget: unable to connect: Operation timed out', 'connection-timed-out'],
    ['the operation timed out', null],
    // The BSDs' spelling of EDQUOT.
    ['cp: /home/ana/build.tar: Disc quota exceeded', 'no-space-left-on-device'],
    [
      'file_get_contents(https://api.example.com/v1/items): failed to open stream: Operation timed out',
      'connection-timed-out',
    ],
    [
      'fopen(https://mirror.example.org/pkg.zip): failed to open stream: Connection timed out',
      'connection-timed-out',
    ],
    // Firefox's page for a connection that never completed.
    [
      'The connection has timed out\n\nThe server at www.example.com is taking too long to respond.',
      'connection-timed-out',
    ],
    // WinHTTP's ERROR_WINHTTP_TIMEOUT (12002) on a German Windows.
    ['failed to send request: Das Zeitlimit für den Vorgang wurde erreicht.', 'connection-timed-out'],
    // Guzzle's redirect limit, with its exception class.
    [
      'GuzzleHttp\\Exception\\TooManyRedirectsException: Will not follow more than 5 redirects',
      'too-many-redirects',
    ],
    ['Will not follow more than 10 redirects', 'too-many-redirects'],
    // ERR_TOO_MANY_REDIRECTS and Firefox's redirect-loop page as browsers print them in other languages.
    ['example.com 将您重定向的次数过多。', 'too-many-redirects'],
    ['example.com 將您重新導向的次數過多。', 'too-many-redirects'],
    ['此网页包含重定向循环', 'too-many-redirects'],
    ['此页面不能正确地重定向', 'too-many-redirects'],
    ['example.com でリダイレクトが繰り返し行われました。', 'too-many-redirects'],
    ['このページは正しくリダイレクトされていません', 'too-many-redirects'],
    ['Fehler 310 (net::ERR_TOO_MANY_REDIRECTS): Zu viele Umleitungen.', 'too-many-redirects'],
    ['Fehler: Umleitungsfehler', 'too-many-redirects'],
    ['La page n’est pas redirigée correctement', 'too-many-redirects'],
    ['Demasiados redireccionamientos', 'too-many-redirects'],
    ['Слишком много переадресаций', 'too-many-redirects'],
    // ...and the words Chinese users write for it.
    ['网站打不开，浏览器提示重定向次数过多', 'too-many-redirects'],
    ['反代以后一直报重定向过多', 'too-many-redirects'],
    // S3-compatible servers that quote the date without the time.
    [
      '<Code>SignatureDoesNotMatch</Code><Message>Signature not yet current: 20240102 is still later than 20240101</Message>',
      'clock-skew',
    ],
    ['Signature expired: 20240101 is now earlier than 20240102', 'clock-skew'],
    // firebase/php-jwt's BeforeValidException, old and new wording.
    [
      'Firebase\\JWT\\BeforeValidException: Cannot handle token prior to 2024-01-01T10:00:00+0000',
      'clock-skew',
    ],
    ['Cannot handle token with nbf prior to 2024-01-01T10:00:00+00:00', 'clock-skew'],
    ['Cannot handle token with iat prior to 2024-01-01T10:00:00+00:00', 'clock-skew'],
    // Chrome's ERR_CONNECTION_REFUSED page in English, French, German and Spanish, and Windows' 10061 in
    // Japanese without its final tense.
    [
      'This site can’t be reached\nlocalhost refused to connect.\nERR_CONNECTION_REFUSED',
      'connection-refused',
    ],
    ["Ce site est inaccessible\n127.0.0.1 n'autorise pas la connexion.", 'connection-refused'],
    ['Die Website ist nicht erreichbar\nlocalhost hat die Verbindung abgelehnt.', 'connection-refused'],
    ['No se puede acceder a este sitio web\nlocalhost rechazó la conexión.', 'connection-refused'],
    ['対象のコンピューターによって拒否されたため、接続できません。', 'connection-refused'],
    // Minecraft servers and add-ons naming a taken port.
    ['[Server thread/WARN]: **** FAILED TO BIND TO PORT!', 'address-already-in-use'],
    [
      "Failed to start addon, Port '8080' is already in use by something else on the host",
      'address-already-in-use',
    ],
    // Qt's QSslError::HostNameMismatch.
    [
      'SSL handshake failed: The host name did not match any of the valid hosts for this certificate',
      'tls-hostname-mismatch',
    ],
    // The JDK refusing the version the server chose; Haskell's tls package.
    [
      'javax.net.ssl.SSLHandshakeException: Server chose TLSv1, but that protocol version is not enabled or not supported by the client.',
      'tls-handshake-failure',
    ],
    [
      '*** Exception: HandshakeFailed (Error_Protocol ("expecting server hello, got alert : [(AlertLevel_Fatal,HandshakeFailure)]",True,HandshakeFailure))',
      'tls-handshake-failure',
    ],
    // JSch's and libssh2's unknown host keys.
    ['com.jcraft.jsch.JSchException: reject HostKey: git.example.com', 'ssh-host-key-verification-failed'],
    [
      'Error { code: -17, klass: 23, message: "invalid or unknown remote ssh hostkey" }',
      'ssh-host-key-verification-failed',
    ],
    // Vagrant retrying a key the guest refuses.
    ['    default: Warning: Authentication failure. Retrying...', 'ssh-permission-denied-publickey'],
    // Discord's 50013 and Microsoft Graph's directory denial.
    ['DiscordAPIError[50013]: Missing Permissions', 'http-403-forbidden'],
    ['DiscordAPIError: Missing Permissions', 'http-403-forbidden'],
    [
      'Code: Authorization_RequestDenied\nMessage: Insufficient privileges to complete the operation.',
      'http-403-forbidden',
    ],
    // Elasticsearch 1.x's fielddata breaker.
    [
      '[FIELDDATA] New used memory 6442450944 [6gb] from field [@timestamp] would be larger than configured breaker: 6400000000 [5.9gb], breaking',
      'elasticsearch-circuit-breaker',
    ],
    // The C# driver's old spelling; PyMongo when no member ever answered.
    [
      'A timeout occured after 30000ms selecting a server using CompositeServerSelector',
      'mongodb-server-selection-timeout',
    ],
    [
      'pymongo.errors.ServerSelectionTimeoutError: No servers found yet, Timeout: 30.0s',
      'mongodb-server-selection-timeout',
    ],
    // Lua 5.2 and later, Godot and JavaScriptCore naming the nil or null they touched.
    [
      "lua entry thread aborted: runtime error: app.lua:12: attempt to index local 'self' (a nil value)",
      'null-reference',
    ],
    ["init.lua:40: attempt to call field 'close' (a nil value)", 'null-reference'],
    ["Invalid call. Nonexistent function 'register' in base 'Nil'.", 'null-reference'],
    ["Invalid get index 'position' (on base: 'null instance').", 'null-reference'],
    ["TypeError: null is not an object (Evaluating 'el.style')", 'null-reference'],
    // A status after "HTTP code" or "Response code" (curl's -w output, Java and PHP clients, uptime pages).
    ['curl: HTTP code = 413 while pushing the backup', 'http-413-payload-too-large'],
    ['Error: Response Code: 504 Response: <html>', 'http-504-gateway-timeout'],
    ['check failed - HTTP code: 500 - response time: 402 ms', 'http-500-internal-server-error'],
    ['upload failed, HTTP code = 502', 'http-502-bad-gateway'],
    ['request rejected (response code: 503)', 'http-503-service-unavailable'],
    ['GET /api/items failed with response code 404', 'http-404-not-found'],
    ['login failed, HTTP code 401', 'http-401-unauthorized'],
    ['proxy said: HTTP code 407', 'http-401-unauthorized'],
    ['upload rejected, response code: 403', 'http-403-forbidden'],
    ['sync stopped, response code 429 from the API', 'http-429-too-many-requests'],
    // Firefox's JSON.parse when the body starts with a blank line; resty-based Go clients.
    [
      'SyntaxError: JSON.parse: unexpected character at line 2 column 1 of the JSON data',
      'invalid-json-response',
    ],
    [
      '[001] Unexpected Content-Type: Expected: application/json, Received: text/html',
      'invalid-json-response',
    ],
    // Microsoft Graph throttling (OneDrive, SharePoint).
    [
      'failed to get root: activityLimitReached: throttledRequest: The request has been throttled',
      'http-429-too-many-requests',
    ],
    // A bad key or token in the words most APIs answer with.
    ['Error: Invalid API Key provided: sk_test_****1234', 'http-401-unauthorized'],
    ['[error] [server:Home Assistant] Error: Invalid access token for websocket', 'http-401-unauthorized'],
    // KafkaJS when the broker connection is gone.
    [
      '{"level":"ERROR","logger":"kafkajs","message":"[Producer] Broker not connected","retryCount":0}',
      'kafka-broker-unavailable',
    ],
    // Graylog's Kafka input when no broker answers its consumer's poll.
    [
      'ERROR [KafkaTransport] WakeupException in poll. Kafka server is not responding.',
      'kafka-broker-unavailable',
    ],
    // A JSON parse error is the client's wrapper: the proxy page it could not read names the cause.
    [
      '<html>\n<head><title>413 Request Entity Too Large</title></head>\n<body>\n<center><h1>413 Request Entity Too Large</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n\nSyntaxError: Unexpected token < in JSON at position 0',
      'http-413-payload-too-large',
    ],
    [
      "Error reading body `<html>\n<head><title>504 Gateway Time-out</title></head>\n<body>\n<center><h1>504 Gateway Time-out</h1></center>\n</body>\n</html>`: invalid character '<' looking for beginning of value",
      'http-504-gateway-timeout',
    ],
    // ...and with no such page it is still the parse error.
    ['SyntaxError: Unexpected token \'<\', "<!DOCTYPE "... is not valid JSON', 'invalid-json-response'],
    ["invalid character '<' looking for beginning of value", 'invalid-json-response'],
    // Atlantis's project lock held by another pull request's plan.
    [
      'This project is currently locked by an unapplied plan from pull #42. To continue, delete the lock from #42 or apply that plan and merge the pull request.',
      'terraform-state-lock',
    ],
    // gRPC's UNAVAILABLE wraps the dial error it quotes, a Windows connect timeout included.
    [
      'rpc error: code = Unavailable desc = all SubConns are in TransientFailure, latest connection error: connection error: desc = "transport: Error while dialing dial tcp 10.0.0.7:443: connectex: A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond."',
      'grpc-unavailable',
    ],
    // An API that tells the caller its own clock is off.
    [
      "request rejected (403): Your device's time setting is incorrect. Please correct the date and time and try again.",
      'clock-skew',
    ],
    ['Login failed: your computer clock is wrong', 'clock-skew'],
    // OpenSearch's automatic create-index block when every data node is past the high watermark.
    [
      'index_create_block_exception: blocked by: [FORBIDDEN/10/cluster create-index blocked (api)];',
      'elasticsearch-disk-watermark',
    ],
    // PyMongo's selection timeout in a replica set without a primary.
    [
      'pymongo.errors.ServerSelectionTimeoutError: No replica set members match selector "Primary()", Timeout: 30s',
      'mongodb-server-selection-timeout',
    ],
    ['No replica set members match selector "Primary()"', 'mongodb-server-selection-timeout'],
    // Envoy's JSON access log with the response flag that says why it answered 503.
    [
      '{"method":"GET","path":"/api/items","response_code":503,"response_flags":"UH","bytes_sent":19}',
      'http-503-service-unavailable',
    ],
    [
      '{"x_response_code":"503","x_response_flags":"URX","upstream_host":"10.0.3.4:8080"}',
      'http-503-service-unavailable',
    ],
    // aiohttp's ClientResponseError: the status, then the reason phrase.
    [
      "aiohttp.client_exceptions.ClientResponseError: 502, message='Bad Gateway', url=URL('http://127.0.0.1:8123/api')",
      'http-502-bad-gateway',
    ],
    [
      "ClientResponseError: 503, message='Service Unavailable', url=URL('https://api.example.com/v1')",
      'http-503-service-unavailable',
    ],
    [
      "ClientResponseError: 504, message='Gateway Timeout', url=URL('https://api.example.com/v1')",
      'http-504-gateway-timeout',
    ],
    [
      "ClientResponseError: 401, message='Unauthorized', url=URL('https://api.example.com/v1/me')",
      'http-401-unauthorized',
    ],
    // Caddy's error logs: v1's line and v2's JSON; the dial error they quote is the proxy's reason.
    [
      '[ERROR 504 /index.php] read tcp 127.0.0.1:51000->127.0.0.1:9000: i/o timeout',
      'http-504-gateway-timeout',
    ],
    ['[ERROR 502 /] dial tcp 127.0.0.1:3000: connect: connection refused', 'http-502-bad-gateway'],
    [
      '{"level":"error","logger":"http.log.error","msg":"dial tcp 10.0.0.5:8080: i/o timeout","duration":3.0,"status":502,"err_id":"abc123","err_trace":"reverseproxy.statusError (reverseproxy.go:1299)"}',
      'http-502-bad-gateway',
    ],
    // A status said in the plural ("a spike of 503s").
    ['after every deploy we see a short spike of 503s', 'http-503-service-unavailable'],
    ['the load balancer hands out random 502s', 'http-502-bad-gateway'],
    ['users report intermittent 504s on the export page', 'http-504-gateway-timeout'],
    // A JSON error body whose code is the status.
    ['{"ok":false,"error_code":401,"description":"Unauthorized"}', 'http-401-unauthorized'],
    ['Response was [{"error":401}]', 'http-401-unauthorized'],
    // Pi-hole's gravity update with no working resolver.
    ['  [✗] DNS resolution is currently unavailable', 'dns-resolution-failed'],
    // MySQL clients quote the connect errno: 101/113 are unreachable, not refused.
    ["ERROR 2003 (HY000): Can't connect to MySQL server on '10.1.2.3:3306' (113)", 'host-unreachable'],
    ["Can't connect to MySQL server on '10.1.2.3' (101)", 'host-unreachable'],
    // Windows' WSAEADDRINUSE text wrapped after its first words.
    [
      'listen tcp :8080: bind: Only one usage of each\nsocket address (protocol/network address/port) is normally permitted.',
      'address-already-in-use',
    ],
    // asyncio's connect error as aiohttp quotes it.
    [
      "aiohttp.client_exceptions.ClientConnectorError: Cannot connect to host 10.0.0.9:8443 ssl:default [Connect call failed ('10.0.0.9', 8443)]",
      'connection-refused',
    ],
    // A client's own "Token expired" as the error, after its tag or prefix.
    ['[CloudApi] Token expired.', 'http-401-unauthorized'],
    ['Error: token expired', 'http-401-unauthorized'],
    // The status with the word for it.
    ['the nightly export dies with a 504 timeout', 'http-504-gateway-timeout'],
    ['504 request timeout', 'http-504-gateway-timeout'],
    // Paramiko's BadHostKeyException and clients that say it in words.
    [
      "paramiko.ssh_exception.BadHostKeyException: Host key for server 'gw.example.com' does not match: got 'AAAAC3NzaC1lZDI1NTE5', expected 'AAAAB3NzaC1yc2E'",
      'ssh-host-key-verification-failed',
    ],
    ['deploy aborted: host key mismatch for 10.0.0.8', 'ssh-host-key-verification-failed'],
    // Kafka's old Scala producer, and the Java client's selector logging the failed broker connection.
    [
      'kafka.common.FailedToSendMessageException: Failed to send messages after 3 tries.',
      'kafka-broker-unavailable',
    ],
    [
      '[Consumer clientId=consumer-orders-1, groupId=orders] Connection with kafka-0.example.com/10.0.0.5 disconnected\njava.net.ConnectException: Connection refused\n\tat sun.nio.ch.SocketChannelImpl.checkConnect(Native Method)',
      'kafka-broker-unavailable',
    ],
    // gRPC C-core's subchannel log when a connect fails.
    [
      'I0312 09:14:02.118 140512 subchannel.cc:1012] Connect failed: {"description":"Failed to connect to remote host","os_error":"Connection refused","target_address":"ipv4:10.0.0.4:50051"}',
      'grpc-unavailable',
    ],
    // The Docker daemon's old registry login error.
    [
      '$ docker pull registry.example.com:5000/team/app:1.2\nPulling repository registry.example.com:5000/team/app\n2014/08/08 11:18:48 Authentication is required.',
      'http-401-unauthorized',
    ],
    // A token whose iat lies in the verifier's future (firebase-tokens-php, Python JWT libraries).
    [
      'Kreait\\Firebase\\JWT\\Error\\IdTokenVerificationFailed: This token has been issued in the future at 2024-01-05T10:00:00+00:00, is your system time correct?',
      'clock-skew',
    ],
    ["jwt.exceptions.ImmatureSignatureError: IATError('Issued in the future')", 'clock-skew'],
    // The 2.x MongoDB Node.js driver without a primary.
    [
      'MongoError: no primary found in replicaset or invalid replica set name',
      'mongodb-server-selection-timeout',
    ],
    // The Docker init script's status line, and DDEV's daemon check.
    ['$ sudo service docker status\n * Docker is not running', 'docker-daemon-unreachable'],
    [
      'Could not connect to a docker provider. Please start or install a docker provider.',
      'docker-daemon-unreachable',
    ],
    // Exchange Online refusing a TLS 1.0/1.1 SMTP client.
    [
      '421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS 1.2.',
      'tls-handshake-failure',
    ],
    // Envoy's response flags after a 503 outside the access log, and Istio's 503 NR.
    ['2024-03-01T10:00:00.000Z\tdebug\tenvoy http\t[C42] new stream 503 NR', 'http-503-service-unavailable'],
    ['[C17][S9] upstream reset: 503 UF connect failure', 'http-503-service-unavailable'],
    // ingress-nginx when the Service behind an Ingress has no ready pod.
    [
      'W0301 10:00:00.000000 7 controller.go:1112] Service "shop/cart" does not have any active Endpoint.',
      'http-503-service-unavailable',
    ],
    // Flux's helm-controller after its remediation retries.
    ['HelmRelease monitoring/infra: Reconciler error: upgrade retries exhausted', 'helm-release-failed'],
    ['reconciliation failed: install retries exhausted', 'helm-release-failed'],
    // Helm's wrapper around the API server's rejection of a patch, without the UPGRADE FAILED prefix.
    [
      'Error:\ncannot patch "api" with kind StatefulSet: StatefulSet.apps "api" is invalid: spec: Forbidden: updates to statefulset spec for fields other than \'replicas\' are forbidden',
      'helm-release-failed',
    ],
    // kube-scheduler's and early Karpenter's log lines for a pod that fits no node.
    [
      'I0815 11:20:25.263257       1 schedule_one.go:826] "Unable to schedule pod; no fit; waiting" pod="default/web-0" err="0/3 nodes are available"',
      'k8s-pod-unschedulable',
    ],
    [
      'INFO\tcontroller.provisioning\tUnable to schedule default/web-7d9f, incompatible with provisioner "default"',
      'k8s-pod-unschedulable',
    ],
    // Binance API error -1021 (INVALID_TIMESTAMP).
    [
      '{"code":-1021,"msg":"Timestamp for this request was 1000ms ahead of the server\'s time."}',
      'clock-skew',
    ],
    ['Error: Timestamp for this request is outside of the recvWindow.', 'clock-skew'],
    // Mongoose's server-selection error for an Atlas cluster.
    [
      "MongooseServerSelectionError: Could not connect to any servers in your MongoDB Atlas cluster. One common reason is that you're trying to access the database from an IP that isn't whitelisted.",
      'mongodb-server-selection-timeout',
    ],
    [
      "Could not connect to any servers in your MongoDB Atlas cluster. Make sure your current IP address is on your Atlas cluster's IP whitelist",
      'mongodb-server-selection-timeout',
    ],
    // Box's JWT grant checking the assertion's exp against its own clock (batch t12a).
    [
      '{"error":"invalid_grant","error_description":"Current date/time MUST be before the expiration date/time listed in the \'exp\' claim"}',
      'clock-skew',
    ],
    ["BoxAPIException: invalid_grant - Please check the 'exp' claim.", 'clock-skew'],
    // MinIO's nodes refusing a peer whose clock is off.
    [
      "Unable to read 'format.json' from http://node2:9000/data: client time 2024-03-01 10:00:00 +0000 UTC is too apart with server time 2024-03-01 09:40:00 +0000 UTC",
      'clock-skew',
    ],
    // CloudFront's 502 page when the origin cannot be reached or hangs up.
    [
      'ERROR: The request could not be satisfied. CloudFront attempted to establish a connection with the origin, but either the attempt failed or the origin closed the connection.',
      'http-502-bad-gateway',
    ],
    // Access log lines in the common format end at the bytes (no referer or agent after them).
    ['10.0.0.7 - - [05/Nov/2024:09:40:16 +0000] "GET / HTTP/1.1" 502 16', 'http-502-bad-gateway'],
    ['10.0.0.7 - - [05/Nov/2024:09:40:16 +0000] "POST /api HTTP/2.0" 503 0', 'http-503-service-unavailable'],
    ['10.0.0.7 - - [05/Nov/2024:09:41:16 +0000] "GET /report HTTP/1.1" 504 167', 'http-504-gateway-timeout'],
    // The OpenShift router's page for a route whose pods are all down.
    [
      'Application is not available\nThe application is currently not serving requests at this endpoint. It may not have been started or is still starting.',
      'http-503-service-unavailable',
    ],
    // Java's hostname check as Paho reports it.
    [
      'MqttException (0) - javax.net.ssl.SSLHandshakeException: No subjectAltNames on the certificate match',
      'tls-hostname-mismatch',
    ],
    // POCO's DNS exceptions.
    [
      'WRN  Poco::Net::DNS::resolve("collabora.lan") failed: DNS error: Temporary DNS error while resolving: collabora.lan',
      'dns-resolution-failed',
    ],
    [
      'Poco::Exception. Code: 1000, e.code() = 0, DNS error: Non recoverable DNS error while resolving: db1',
      'dns-resolution-failed',
    ],
    // The way people type Node's "socket hang up".
    [
      'every few minutes a request through the keep-alive agent fails with a socket hangup',
      'connection-reset-by-peer',
    ],
    // FastAPI's body for a path that no route matches.
    ['curl http://localhost:8000/api/items/ returns {"detail":"Not Found"}', 'http-404-not-found'],
    // Newtonsoft.Json on an HTML body, its message without the exception class.
    [
      "Exception Message: Unexpected character encountered while parsing value: <. Path '', line 0, position 0.",
      'invalid-json-response',
    ],
    // Apache HttpClient 4's hostname verifier.
    [
      "javax.net.ssl.SSLException: hostname in certificate didn't match: <10.0.0.5> != <api.example.com> OR <www.example.com>",
      'tls-hostname-mismatch',
    ],
    [
      "javax.net.ssl.SSLException: Certificate for <10.0.0.5> doesn't contain CN or DNS subjectAlt",
      'tls-hostname-mismatch',
    ],
    // The browser's page for a bare 500.
    [
      'Server error\n500\nThe website encountered an error while retrieving https://app.example.com/form.php. It may be down for maintenance or configured incorrectly.',
      'http-500-internal-server-error',
    ],
    // pymilvus when the gRPC channel to Milvus never becomes ready.
    [
      'pymilvus.exceptions.MilvusException: <MilvusException: (code=2, message=Fail connecting to server on localhost:19530, illegal connection params or server unavailable)>',
      'grpc-unavailable',
    ],
    ['MilvusException: Fail connecting to server on 127.0.0.1:19530. Timeout', 'grpc-unavailable'],
    // node-postgres when connectionTimeoutMillis passes before the server answers.
    ['Error: Connection terminated due to connection timeout', 'connection-timed-out'],
    // System.Text.Json on an HTML body, with the quotes as a logger reprints them.
    [
      'Error: "<\' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 0.',
      'invalid-json-response',
    ],
  ])('%s -> %s', (text, id) => {
    expect(top(text)).toBe(id);
  });

  it.each([
    // EADDRNOTAVAIL is not EADDRINUSE: the address is not on this host (or no local port is left), and
    // the corpus labels it as no guide's.
    ['Cannot assign requested address', 'address-already-in-use'],
    [
      'java.net.BindException: bind failed: EADDRNOTAVAIL (Cannot assign requested address)',
      'address-already-in-use',
    ],
    ['listen tcp 192.0.2.10:8080: bind: cannot assign requested address', 'address-already-in-use'],
    // A Lua index on a value that is there but of the wrong type is no null reference.
    ["runtime error: app.lua:3: attempt to index local 'session' (a number value)", 'null-reference'],
    // A status code of another class after the same words is no status guide's.
    ['Error: HTTP code 409 Conflict', 'http-404-not-found'],
    ['GitbeakerRequestError: Response code 400 (Bad Request)', 'http-500-internal-server-error'],
    // Atlantis's own per-pull-request command lock is not the state's.
    [
      'The default workspace at path infra/prod is currently locked by another command that is running for this pull request.\nWait until the previous command is complete and try again.',
      'terraform-state-lock',
    ],
    // Resilience4j's, Polly's or Logstash's circuit breaker is an application pattern, not the heap's.
    [
      "the resilience4j circuit breaker throws an exception on every call once it is OPEN: CallNotPermittedException: CircuitBreaker 'inventory' is OPEN and does not permit further calls",
      'elasticsearch-circuit-breaker',
    ],
    [
      'Beats input: The circuit breaker has detected a slowdown or stall in the pipeline, the input is closing the current connection and rejecting new connection until the pipeline recover.',
      'elasticsearch-circuit-breaker',
    ],
    // polkit asking for a password is no HTTP 401.
    ["Authentication is required to start 'nginx.service'.", 'http-401-unauthorized'],
    // A claim waiting for its first pod yields to the probe failure beside it.
    [
      'Warning  Unhealthy  2m  kubelet  Readiness probe failed: Get "http://10.42.0.7:5678/healthz": dial tcp 10.42.0.7:5678: connect: connection refused\nNormal  WaitForFirstConsumer  5m  persistentvolume-controller  waiting for first consumer to be created before binding',
      'k8s-volume-mount-failed',
    ],
    // Pointing a client at a wrong URL on purpose says nothing about a 404.
    [
      'to mimic production failures I pointed the backend client at a wrong URL, but the metric stays at 0',
      'http-404-not-found',
    ],
  ])('%s is not %s', (text, id) => {
    expect(top(text)).not.toBe(id);
  });
});

// Products' and libraries' own messages for failures the network, HTTP, TLS and clock guides own (third
// tuning round of the sixteenth pass). Each row is written from the message's source or catalog.
describe('the built-in guides: more products’ messages for network, HTTP and clock failures', () => {
  it.each([
    // Steam networking's socket setup and a game-server launcher's port check.
    [
      "CreateBoundSocket: ::bind couldn't find an open port between 27015 and 27015",
      'address-already-in-use',
    ],
    ['A process is already using your Server Port ( 7777 UDP )', 'address-already-in-use'],
    // Munge refusing a credential outside its time window, openpubkey, Vaultwarden and Binance (cut short).
    ['error: Munge decode failed: Expired credential', 'clock-skew'],
    ['unmunge: Error: Rewound credential', 'clock-skew'],
    ['failed to exchange token: issuedAt of token is in the future: (iat: 1700000000)', 'clock-skew'],
    ['Invalid TOTP code! Server time: 2024-01-01 10:00:00 UTC IP: 192.0.2.4', 'clock-skew'],
    ['APIError(code=-1021): Timestamp for this request was 1500ms ahead of the', 'clock-skew'],
    // Chrome's ERR_CONNECTION_REFUSED page in Japanese, Chinese, Portuguese and Russian.
    ['localhost で接続が拒否されました。', 'connection-refused'],
    ['127.0.0.1 拒绝了我们的连接请求。', 'connection-refused'],
    ['localhost 拒絕連線。', 'connection-refused'],
    ['localhost recusou a conexão.', 'connection-refused'],
    ['Сайт localhost не позволяет установить соединение.', 'connection-refused'],
    // arduino-esp32's WiFiClient with ECONNRESET's number.
    ['[E][WiFiClient.cpp:517] connected(): Disconnected: RES: -1, ERR: 104', 'connection-reset-by-peer'],
    // ESP-IDF's TLS transport, aioesphomeapi and a VPN client giving up.
    ['E (1234) esp-tls: [sock=54] select() timeout', 'connection-timed-out'],
    ['Disconnected from API: Timeout while waiting for message response!', 'connection-timed-out'],
    ['Error 305 (timeout connecting to the server)', 'connection-timed-out'],
    // dig 9.18's resolver errors.
    [';; communications error to 127.0.0.53#53: timed out', 'dns-resolution-failed'],
    [';; communications error to 192.0.2.53#53: connection refused', 'dns-resolution-failed'],
    // grpcio's and grpc-go's connectivity state.
    ['connection.py:42 | ChannelConnectivity.TRANSIENT_FAILURE', 'grpc-unavailable'],
    ['[core] Subchannel Connectivity change to TRANSIENT_FAILURE', 'grpc-unavailable'],
    // aiohttp's client_max_size.
    [
      'aiohttp.web_exceptions.HTTPRequestEntityTooLarge: Maximum request body size 1048576 exceeded, actual body size 5242880',
      'http-413-payload-too-large',
    ],
    // axios with the body's text glued to the status.
    ['ServiceError: Request failed with status code 401Token expired', 'http-401-unauthorized'],
    // Anthropic's API refusing the request.
    [
      '403 {"type":"error","error":{"type":"forbidden","message":"Request not allowed"}}',
      'http-403-forbidden',
    ],
    // Vercel's and Azure OpenAI's missing deployment.
    ['404: DEPLOYMENT_NOT_FOUND', 'http-404-not-found'],
    [
      "openai.NotFoundError: Error code: 404 - {'error': {'code': 'DeploymentNotFound', 'message': 'The API deployment for this resource does not exist.'}}",
      'http-404-not-found',
    ],
    // A game platform's rate limit.
    ['The Rate Limit has been reached. Please try again later.', 'http-429-too-many-requests'],
    // sarama and Eclipse Ditto.
    ['client/metadata no available broker to send metadata request to', 'kafka-broker-unavailable'],
    [
      "cause <KafkaConnectionFailed>: Can't establish connection with kafkaBroker after 3 attempts",
      'kafka-broker-unavailable',
    ],
    ["None of advertised listeners '[1]' are reachable from outside world", 'kafka-broker-unavailable'],
    // Stripe's creation limit (sent as a 400) and Heroku's H12 as people name it.
    [
      "Error: Sorry, you're creating accounts too quickly. You should limit your requests to less than 5 creation attempts per second.",
      'http-429-too-many-requests',
    ],
    ['about 5% of requests hit the 30 second H12 Request timeout on Heroku', 'http-504-gateway-timeout'],
    // A pod's status as key=value, and a claim that waits for its first pod and nothing else.
    ['worker-7c9f-abcde   phase=Failed reason=Evicted   6h', 'k8s-pod-evicted'],
    [
      'Normal  WaitForFirstConsumer  12s (x5 over 70s)  persistentvolume-controller  waiting for first consumer to be created before binding',
      'k8s-volume-mount-failed',
    ],
    // Ansible's network connection refused at SSH authentication.
    [
      'fatal: [router1]: FAILED! => {"changed": false, "msg": "failed to connect to 192.0.2.1:22 - Authentication failed."}',
      'ssh-permission-denied-publickey',
    ],
    // Windows' 10061 in Turkish (cut after the verb's stem, as PHP's PDO quotes it) and glibc's Turkish text.
    [
      'SQLSTATE[HY000] [2002] Hedef makine etkin olarak reddettiğinden bağlantı kurulamadı.',
      'connection-refused',
    ],
    ['PDOException: SQLSTATE[HY000] [2002] Hedef makine etkin olarak reddetti', 'connection-refused'],
    ['ssh: connect to host 192.0.2.7 port 22: Bağlantı reddedildi', 'connection-refused'],
    // OkHttp's ConnectException alone; with its cause quoted, the cause's guide answers.
    ['java.net.ConnectException: Failed to connect to localhost/127.0.0.1:8080', 'connection-refused'],
    [
      'java.net.ConnectException: Failed to connect to api.example.com/10.0.4.2:443\nCaused by: java.net.NoRouteToHostException: No route to host',
      'host-unreachable',
    ],
    // OpenSSH's refusal as people retype it, with a space.
    [
      'git clone over ssh always fails with Permission denied (public key).',
      'ssh-permission-denied-publickey',
    ],
    // Apache HttpClient's SSLPeerUnverifiedException behind a TLS-inspecting proxy.
    ['javax.net.ssl.SSLPeerUnverifiedException: peer not authenticated', 'tls-unknown-authority'],
  ])('%s -> %s', (text, id) => {
    expect(top(text)).toBe(id);
  });
});

// Libraries' own wordings of SSH host keys, DNS, clock and HTTP failures. Each row is written from the
// library's source or catalog, not taken from a paste.
describe("the built-in guides: SSH, DNS, JWT clock checks and .NET status in libraries' words", () => {
  it.each([
    // Ruby's net-ssh host key verifiers.
    [
      'net/ssh/verifiers/always.rb:50:in `process_cache_miss\': fingerprint SHA256:Yx1f3k9Q does not match for "deploy.example.com,192.0.2.4" (Net::SSH::HostKeyMismatch)',
      'ssh-host-key-verification-failed',
    ],
    [
      'fingerprint SHA256:Yx1f3k9Q is unknown for "192.0.2.4" (Net::SSH::HostKeyUnknown)',
      'ssh-host-key-verification-failed',
    ],
    // Erlang's inet and Elixir's Mint/HTTPoison give the resolver's answer as an atom.
    [
      '** (MatchError) no match of right hand side value: {:error, %Mint.TransportError{reason: :nxdomain}}',
      'dns-resolution-failed',
    ],
    ['{error,nxdomain}', 'dns-resolution-failed'],
    ['%HTTPoison.Error{id: nil, reason: :nxdomain}', 'dns-resolution-failed'],
    // go-chi/jwtauth on a token from a clock ahead of the verifier's.
    ['jwtauth: token nbf validation failed', 'clock-skew'],
    ['token iat validation failed', 'clock-skew'],
    // lestrrat-go/jwx's claim checks.
    ['failed to validate token: "nbf" not satisfied: token is not yet valid', 'clock-skew'],
    ['jwt.Parse: "iat" not satisfied', 'clock-skew'],
    // nginx's resolver on a request, its errno text wrapped onto the next line.
    [
      '2024/02/11 08:15:02 [error] 29#29: *41 backend.internal could not be resolved\n(2: Server failure), client: 192.0.2.9, server: _',
      'dns-resolution-failed',
    ],
    // Sequoia's sqv (apt) on a Release signature made after the local clock's time.
    [
      'Sub-process /usr/bin/sqv returned an error code (1), error message is: Error: Verifying signature: Not live until 2026-03-02T10:00:00Z',
      'clock-skew',
    ],
    // .NET's WebException in Chinese, retyped with a full-width semicolon.
    ['创建数据文件时出现错误；远程服务器返回错误；（403）已禁止。', 'http-403-forbidden'],
    ['远程服务器返回错误；(404) 未找到。', 'http-404-not-found'],
  ])('%s -> %s', (text, id) => {
    expect(top(text)).toBe(id);
  });
});

// Products' own wordings of clock, rate-limit, node, probe and Helm failures, and a Helm command named in a
// sentence that shows no Helm failure. Each row is written from the product's source or catalog.
describe("the built-in guides: clock checks, quotas, probes and Helm in products' words", () => {
  it.each([
    // Firebase Admin (Go) on an ID token whose iat lies ahead of the verifier's clock.
    ['auth: ID token issued at future timestamp: 1700000123', 'clock-skew'],
    // Home Assistant's ONVIF integration comparing the camera's clock with its own.
    [
      "WARNING (MainThread) [homeassistant.components.onvif] The date/time on Porch (UTC) is '2024-01-02 11:00:00+00:00', which is different from the system '2024-01-02 10:00:00+00:00', this could lead to authentication issues",
      'clock-skew',
    ],
    // Device APIs rejecting a request by its signed timestamp.
    ["Callback rejected: {'error': 'Timestamp incorrect, possible replaying'}", 'clock-skew'],
    ['{"code":1005,"success":false,"msg":"timestamp is incorrect"}', 'clock-skew'],
    // An exchange API's request quota.
    ['HTTP 409: The allowed number of requests has been exceeded.', 'http-429-too-many-requests'],
    // kubeasz's task waiting for the node to turn Ready.
    ['FAILED - RETRYING: 轮询等待node达到Ready状态 (3 retries left).', 'k8s-node-not-ready'],
    // A probe failing, told in a sentence with the kubelet's error after it.
    [
      'the readiness probe keeps failing with dial tcp 10.0.0.5:8080: connect: connection refused',
      'k8s-probe-failed',
    ],
    // Helm's pending status quoted in a sentence.
    ['helm list shows the release stuck in "pending-upgrade" after the rollback', 'helm-release-failed'],
    // Qt's QSslError::UnableToGetLocalIssuerCertificate, as Qt clients show it.
    [
      'SSL error: The issuer certificate of a locally looked up certificate could not be found',
      'tls-unknown-authority',
    ],
    // libcurl's strerror for error 6 as curl bindings print it, and Erlang httpc's per-family reason.
    ["error: API request failed\n  caused by: [6] Couldn't resolve host name", 'dns-resolution-failed'],
    [
      '{error,{failed_connect,[{to_address,{"repo.example.org",443}},{inet,[inet],nxdomain}]}}',
      'dns-resolution-failed',
    ],
    // Bouncy Castle's TLS alert with its number.
    ['Org.BouncyCastle.Tls.TlsFatalAlertReceived: handshake_failure(40)', 'tls-handshake-failure'],
    ['org.bouncycastle.tls.TlsFatalAlert: protocol_version(70)', 'tls-handshake-failure'],
    // cert-manager's mixin alert and its description.
    ['[FIRING:1] CertManagerCertExpirySoon (web-tls monitoring warning)', 'tls-certificate-expired'],
    [
      'description: The domain that this cert covers will be unavailable after 6d 23h. Clients using endpoints that this cert protects will start to fail in 6d 23h.',
      'tls-certificate-expired',
    ],
    // awc's and trust-dns's resolver errors, and mbedTLS's verify error as libgit2 prints it.
    [
      'ERROR: could not send request: Failed to connect to host: Failed resolving hostname: lookup failed',
      'dns-resolution-failed',
    ],
    ['caused by: no record found for name: api.example.internal. type: A class: IN', 'dns-resolution-failed'],
    [
      'GitError(Code:ECERTIFICATE, Class:SSL, SSL error: ffffd900[8] - X509 - Certificate verification failed, e.g. CRL, CA or signature check failed)',
      'tls-unknown-authority',
    ],
    // A Russian desktop app's dialog for a held port.
    ['Ошибка: Порт уже используется', 'address-already-in-use'],
  ])('%s -> %s', (text, id) => {
    expect(top(text)).toBe(id);
  });

  it.each([
    // A Helm command named beside another failure (a schema validation error) is not a Helm failure.
    [
      'Gatekeeper is installed with Helm on GKE.\nadmission webhook "validation.gatekeeper.sh" denied the request: [denied by require-owner] All workloads must have a valid owner label',
    ],
  ])('%s -> no guide', (text) => {
    expect(top(text) ?? null).toBeNull();
  });
});
