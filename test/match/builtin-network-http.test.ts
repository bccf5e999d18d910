import { describe, expect, it } from 'vitest';
import { builtinEngine } from '../helpers.js';

const { top } = builtinEngine();

// Network, TLS, HTTP-status and client-library guides (tuning groups 1 and 2). Each row is one client's
// or product's spelled-out form of a message, written from its catalog or source, not taken from a paste.
describe('the built-in guides: network and HTTP wording and boundaries', () => {
  it.each([
    // Helm prints its failures in capitals.
    ['Error: UPGRADE FAILED: cannot patch "web" with kind Deployment', 'helm-release-failed'],
    ['Error: INSTALLATION FAILED: context deadline exceeded', 'helm-release-failed'],
    // librdkafka's broker-failure line is Kafka's, whatever errno it quotes.
    [
      '%7|1700000000.123|BROKERFAIL|rdkafka#consumer-1| [thrd:broker1:9092/bootstrap]: broker1:9092/bootstrap: failed: err: Local: Timed out: (errno: Connection timed out)',
      'kafka-broker-unavailable',
    ],
    // The MongoDB Java driver's selection timeout carrying only a socket timeout.
    [
      'com.mongodb.MongoTimeoutException: Timed out after 30000 ms while waiting for a server that matches WritableServerSelector. Client view of cluster state is {type=UNKNOWN, servers=[{address=db:27017, type=UNKNOWN, state=CONNECTING, exception={com.mongodb.MongoSocketReadTimeoutException: Timeout while receiving message}, caused by {java.net.SocketTimeoutException: Read timed out}}]',
      'mongodb-server-selection-timeout',
    ],
    // ...and still the refused connection when that is the reason it carries.
    [
      'com.mongodb.MongoTimeoutException: Timed out after 30000 ms while waiting for a server that matches WritableServerSelector. Client view of cluster state is {type=UNKNOWN, servers=[{address=db:27017, type=UNKNOWN, state=CONNECTING, exception={com.mongodb.MongoSocketOpenException: Exception opening socket}, caused by {java.net.ConnectException: Connection refused}}]',
      'connection-refused',
    ],
    // A 500 is the server's summary: the error its log shows decides when another guide owns it.
    [
      'Completed 500 Internal Server Error in 25ms (ActiveRecord: 2.9ms)\nRedis::CannotConnectError (Error connecting to Redis on 127.0.0.1:6379 (Errno::ECONNREFUSED)):',
      'connection-refused',
    ],
    [
      'Completed 500 Internal Server Error in 12ms (ActiveRecord: 0.0ms | Allocations: 4474)',
      'http-500-internal-server-error',
    ],
    // Apache's footnote about a missing ErrorDocument does not turn a 500 page into a 404.
    [
      'Internal Server Error\nThe server encountered an internal error or misconfiguration and was unable to complete your request.\nAdditionally, a 404 Not Found error was encountered while trying to use an ErrorDocument to handle the request.',
      'http-500-internal-server-error',
    ],
    // Exit status 139 in a container runtime's or supervisor's words.
    ['web-1 exited with code 139', 'segmentation-fault'],
    ['the container exits with code 139 after a few seconds', 'segmentation-fault'],
    // curl built on NSS when the two sides share no TLS version.
    [
      '* Connected to x.example (10.0.0.1) port 443 (#0)\n* Unsupported SSL protocol version\n* Closing connection 0',
      'tls-handshake-failure',
    ],
    // Docker Hub's pull limit without its error code.
    [
      'Error response from daemon: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
      'http-429-too-many-requests',
    ],
    // reqwest's Debug form of its own timeout.
    [
      'Error: reqwest::Error { kind: Request, url: "https://example.com/", source: TimedOut }',
      'connection-timed-out',
    ],
    // A child process reported by its signal number, with the word that says it died of it.
    ['error: git-remote-https died of signal 13', 'broken-pipe'],
    // Chinese "reports / returns NNN": the status with its verb.
    ['部署到生产环境后接口一直报 404，本地没问题', 'http-404-not-found'],
    ['上传大文件时 nginx 返回 413，小文件正常', 'http-413-payload-too-large'],
    ['长文本请求时网关返回 504，短请求正常', 'http-504-gateway-timeout'],
    // The status right after the word error.
    ['MyApp\\ApiException: Error 429: slow down', 'http-429-too-many-requests'],
    ['ERROR: 404 while fetching https://example.com/pkg/index.json', 'http-404-not-found'],
    // Let's Encrypt's rate limits as ACME clients quote them.
    [
      'Error creating new order :: too many certificates (5) already issued for this exact set of domains in the last 168 hours',
      'http-429-too-many-requests',
    ],
    [
      'urn:ietf:params:acme:error:rateLimited: too many failed authorizations recently',
      'http-429-too-many-requests',
    ],
    // Jenkins rejecting a request without its CSRF crumb.
    ['WARNING: No valid crumb was included in the request', 'http-403-forbidden'],
    // GitHub Container Registry refusing a push the token may not make.
    ['denied: installation not allowed to Create organization package', 'http-403-forbidden'],
    ['denied: permission_denied: write_package', 'http-403-forbidden'],
    // Google Cloud's Node clients, Django's production page.
    [
      'ApiError: Not Found\n    at new ApiError (node_modules/@google-cloud/common/build/src/util.js:75:15)',
      'http-404-not-found',
    ],
    ['the page only says Server Error (500) with DEBUG off', 'http-500-internal-server-error'],
    // The JDK's hostname check on a certificate without any SAN.
    [
      'javax.net.ssl.SSLHandshakeException: java.security.cert.CertificateException: No subject alternative names present',
      'tls-hostname-mismatch',
    ],
    // V8 quoting the start of a text body.
    ['SyntaxError: Unexpected token \'U\', "Unauthorized" is not valid JSON', 'invalid-json-response'],
    // ffmpeg's muxer write glued to its progress line.
    ['av_interleaved_write_frame(): Broken pipeframe= 120 fps= 30 size= 512kB', 'broken-pipe'],
    // A status with "errors" after it is still the status.
    ['the load balancer gives us 502 errors during deploys', 'http-502-bad-gateway'],
    ['Since the upgrade the API returns 500 errors for every request', 'http-500-internal-server-error'],
    // Google Cloud Storage calls a request without credentials an anonymous caller and answers 401.
    [
      'Anonymous caller does not have storage.objects.get access to the Google Cloud Storage object. Permission denied on resource (or it may not exist)., 401',
      'http-401-unauthorized',
    ],
    [
      'gcsfs.retry.HttpError: Anonymous caller does not have storage.buckets.list access to the project., 401',
      'http-401-unauthorized',
    ],
    // The same wording for a known caller is a denial.
    [
      'svc@proj.iam.gserviceaccount.com does not have storage.objects.get access to the Google Cloud Storage object.',
      'http-403-forbidden',
    ],
    // App Engine ends a request handler at its deadline: the log line and the runtime's exception.
    ['Process terminated because the request deadline was exceeded. (Error code 123)', 'app-worker-timeout'],
    ['google.appengine.runtime.DeadlineExceededError', 'app-worker-timeout'],
    [
      'DeadlineExceededError: The overall deadline for responding to the HTTP request was exceeded.',
      'app-worker-timeout',
    ],
    // IIS ends a FastCGI process past its request or activity timeout.
    ['C:\\php\\php-cgi.exe - The FastCGI process exceeded configured request timeout', 'app-worker-timeout'],
    ['HTTP Error 500.0 - The FastCGI process exceeded configured activity timeout', 'app-worker-timeout'],
    // .NET's "The operation has timed out" in other locales, and Node's AbortSignal.timeout().
    ['System.Net.WebException: O tempo limite da operação foi atingido.', 'connection-timed-out'],
    ['System.Net.WebException: Se excedió el tiempo de espera de la operación.', 'connection-timed-out'],
    ['System.Net.WebException: Время ожидания операции истекло.', 'connection-timed-out'],
    ['DOMException [TimeoutError]: The operation was aborted due to timeout', 'connection-timed-out'],
    // GitHub Pages' own 404 page.
    ['The site configured at this address does not contain the requested file.', 'http-404-not-found'],
    // wget built with GnuTLS, each of its certificate verdicts.
    ["ERROR: The certificate of 'dl.example.org' is not trusted.", 'tls-unknown-authority'],
    ["ERROR: The certificate of 'dl.example.org' hasn't got a known issuer.", 'tls-unknown-authority'],
    ["ERROR: The certificate of 'www.example.org' has expired.", 'tls-certificate-expired'],
    ["ERROR: The certificate of 'www.example.org' is not yet activated.", 'tls-certificate-expired'],
    // Older paramiko's RejectPolicy.
    [
      'paramiko.ssh_exception.SSHException: Unknown server [git.example.com]:2222',
      'ssh-host-key-verification-failed',
    ],
    // The Docker registry's token check against its own clock.
    [
      'level=info msg="token not to be used before 1700000300 or after 1700000900 - currently 1700000100"',
      'clock-skew',
    ],
    // gRPC C-core's resolvers, as the details under an UNAVAILABLE status (Python's and Ruby's clients).
    [
      '<_InactiveRpcError of RPC that terminated with:\n\tstatus = StatusCode.UNAVAILABLE\n\tdetails = "Name resolution failure"',
      'dns-resolution-failed',
    ],
    [
      '\tstatus = StatusCode.UNAVAILABLE\n\tdetails = "DNS resolution failed for service: orders.internal:50051"',
      'dns-resolution-failed',
    ],
    [
      'GRPC::Unavailable: 14:DNS resolution failed for orders.internal:50051: C-ares status is not ARES_SUCCESS',
      'dns-resolution-failed',
    ],
    // AWS's signature window without its timestamps, Tencent Cloud's wording and jjwt's iat check.
    ['InvalidSignatureException: Signature expired', 'clock-skew'],
    ['[TencentCloudSDKException] code:AuthFailure.SignatureExpire message:Signature expired.', 'clock-skew'],
    [
      'Signature expired. Please use local time and enable NTP service for time synchronization',
      'clock-skew',
    ],
    ['Token is invalid because the issued at time (iat) is after the current time.', 'clock-skew'],
    // GitHub's answer to a password over HTTPS, git's verdict without its URL, n8n's 401 message.
    [
      'remote: Invalid username or token. Password authentication is not supported for Git operations.',
      'http-401-unauthorized',
    ],
    ['fatal: Authentication failed', 'http-401-unauthorized'],
    // aiohttp's (and Tornado's) default error body for a 401, as a UI shows it.
    ['401: Unauthorized', 'http-401-unauthorized'],
    ['GET /api/hassio_ingress/abc123/ returned 401: Unauthorized', 'http-401-unauthorized'],
    ['NodeApiError: Authorization failed - please check your credentials', 'http-401-unauthorized'],
    // Apache's 404 page names the path.
    ['Not Found\nThe requested URL /about was not found on this server.', 'http-404-not-found'],
    // git's own connect on BSD/macOS.
    [
      'fatal: unable to connect to github.com:\ngithub.com[0: 140.82.121.3]: errno=Operation timed out',
      'connection-timed-out',
    ],
    // Vercel's page for a path or deployment it does not have.
    ['404: NOT_FOUND\nCode: DEPLOYMENT_NOT_FOUND\nID: fra1::abcd-1700000000000', 'http-404-not-found'],
    // How people say a certificate lapsed.
    ["the site's TLS certificate ran out yesterday, please renew it", 'tls-certificate-expired'],
    [
      "our Let's Encrypt certificates expired on Sunday and the browsers refuse the site",
      'tls-certificate-expired',
    ],
    // Go's redirect policy, Python 2's json and Dart's jsonDecode on a page that is not JSON.
    ['Get "http://app.example.com/": stopped after 10 redirects', 'too-many-redirects'],
    ['ValueError: No JSON object could be decoded', 'invalid-json-response'],
    ['FormatException: Unexpected character (at character 1)\n<!DOCTYPE html>', 'invalid-json-response'],
    // spotipy's rate-limit notice and a quoted status in a client's sentence.
    [
      'WARNING:root:Your application has reached a rate/request limit. Retry will occur after: 30',
      'http-429-too-many-requests',
    ],
    [
      "Request for 'https://api.example.com/v2/items' failed with status code '429'",
      'http-429-too-many-requests',
    ],
    // Go's redirect message retyped in the singular; Cloudflare's 524 page as clients quote it.
    ['the client fails with stopped after 10 redirect on every GET', 'too-many-redirects'],
    ["RuntimeError: ('Response code error: ', 524) A timeout occurred", 'http-504-gateway-timeout'],
    ['behind the CDN every long export ends in a 524 error after 100 seconds', 'http-504-gateway-timeout'],
    ['the batch job keeps failing with a rate limit error from the API', 'http-429-too-many-requests'],
    // A lapsed certificate in German, French and Japanese, after the browsers' own words.
    ['Das Zertifikat von example.org ist am 01.09.2026 abgelaufen', 'tls-certificate-expired'],
    ['Firefox meldet, das Sicherheitszertifikat der Seite sei abgelaufen', 'tls-certificate-expired'],
    ['Le certificat HTTPS du site est périmé depuis hier', 'tls-certificate-expired'],
    ['Le certificat a expiré le 1 septembre 2026', 'tls-certificate-expired'],
    ['ブラウザがサーバーの証明書は期限切れだと表示します', 'tls-certificate-expired'],
    // apt's Release-file date check when the local clock is behind.
    [
      'E: Release file for http://deb.debian.org/debian/dists/bookworm/InRelease is not valid yet',
      'clock-skew',
    ],
    // GitHub's answer quoted without its full stop; BigQuery's denial naming what it refused.
    ['I paste the token and git says "remote: Invalid username or password"', 'http-401-unauthorized'],
    [
      'google.api_core.exceptions.Forbidden: 403 Access Denied: Dataset my-project:analytics: Permission bigquery.tables.list denied',
      'http-403-forbidden',
    ],
    [
      'ERROR: Access Denied: Table my-project:sales.orders: User does not have permission to query table',
      'http-403-forbidden',
    ],
    // ant-design-pro's request error map, as Chinese admin front ends show it.
    ['请求错误 401: 用户没有权限（令牌、用户名、密码错误）。', 'http-401-unauthorized'],
    ['请求错误 403: 用户得到授权，但是访问是被禁止的。', 'http-403-forbidden'],
    ['请求错误 404: 发出的请求针对的是不存在的记录，服务器没有进行操作。', 'http-404-not-found'],
    ['请求错误 503: 服务不可用，服务器暂时过载或维护。', 'http-503-service-unavailable'],
    // S3's XML error code on the line under the client's 403 is the reason for it.
    [
      '[ERR] curl.cpp:RequestPerform(2273): HTTP response code 403, returning EPERM. Body Text: <?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message></Error>',
      'clock-skew',
    ],
    [
      '2024/01/02 10:00:00 NOTICE: Time may be set wrong - time from "s3.example.com" is 2h0m3.2s different from this computer',
      'clock-skew',
    ],
    // Helm's wait on a hook Job that the Job controller failed.
    [
      'Error: timed out waiting for the condition\nError: Job failed: DeadlineExceeded',
      'helm-release-failed',
    ],
    ['Error: INSTALLATION FAILED: job failed: BackoffLimitExceeded', 'helm-release-failed'],
    // librdkafka's FAIL line is the broker's, whatever step failed.
    [
      "%3|1700000000.651|FAIL|rdkafka#producer-1| [thrd:kafka-0:9092/bootstrap]: kafka-0:9092/bootstrap: Failed to resolve 'kafka-0:9092': Name or service not known (after 2ms in state CONNECT)",
      'kafka-broker-unavailable',
    ],
    [
      'org.apache.kafka.common.errors.TimeoutException: Timed out waiting to send the call. Call: describeTopics',
      'kafka-broker-unavailable',
    ],
    [
      'MountVolume.SetUp failed for volume "modules" : hostPath type check failed: /lib/modules is not a directory',
      'k8s-volume-mount-failed',
    ],
    ['Firefox can not load this page: NS_ERROR_REDIRECT_LOOP', 'too-many-redirects'],
    ['curl: (28) Failed to connect to api.example.com port 443: Timed out', 'connection-timed-out'],
    ['DEBUG 429 hit on route /channels/:id/messages', 'http-429-too-many-requests'],
    [
      'Throttling active: due to an unusually high number of accesses, further server communication is temporarily suspended.',
      'http-429-too-many-requests',
    ],
    [
      'We have detected excessive traffic from your account, your access to the service has been limited for a few hours',
      'http-429-too-many-requests',
    ],
    // A browser console's failed request.
    ['POST https://app.example.com/api/upload 413 (Payload Too Large)', 'http-413-payload-too-large'],
    ['GET https://app.example.com/api/items 429', 'http-429-too-many-requests'],
    // .NET's WebException in its translated catalogs.
    ['远程服务器返回错误：（401）未经授权。', 'http-401-unauthorized'],
    [
      'System.Net.WebException: Der Remoteserver hat einen Fehler zurückgegeben: (403) Unzulässig.',
      'http-403-forbidden',
    ],
    [
      'Invoke-RestMethod : le serveur distant a retourné une erreur : (404) Introuvable.',
      'http-404-not-found',
    ],
    [
      'Error en el servidor remoto: (413) Entidad de solicitud demasiado grande.',
      'http-413-payload-too-large',
    ],
    ['Удаленный сервер возвратил ошибку: (429) Too Many Requests.', 'http-429-too-many-requests'],
    ['リモート サーバーがエラーを返しました: (500) 内部サーバー エラー', 'http-500-internal-server-error'],
    ['Errore del server remoto: (502) Gateway non valido.', 'http-502-bad-gateway'],
    ['遠端伺服器傳回一個錯誤: (503) 伺服器無法使用。', 'http-503-service-unavailable'],
    ['O servidor remoto retornou um erro: (504) Tempo limite do gateway.', 'http-504-gateway-timeout'],
    ['원격 서버에서 (401) 권한 없음 오류를 반환했습니다.', 'http-401-unauthorized'],
    // Postfix's deferral reasons: a trusted chain whose names do not match, and a chain it does not trust.
    [
      'Mar  3 10:00:01 mx postfix/smtp[1234]: 4F2A1C0: to=<ops@example.org>, relay=mail.example.org[192.0.2.10]:25, delay=2, dsn=4.7.5, status=deferred (Server certificate not verified)',
      'tls-hostname-mismatch',
    ],
    [
      'Mar  3 10:00:01 mx postfix/smtp[1234]: 4F2A1C0: to=<ops@example.org>, relay=mail.example.org[192.0.2.10]:25, delay=2, dsn=4.7.5, status=deferred (Server certificate not trusted)',
      'tls-unknown-authority',
    ],
    // SSH clients' own words for a stored key that no longer matches.
    ['Session failed: the host key for 192.0.2.5:22 has changed.', 'ssh-host-key-verification-failed'],
    ['启动会话失败：192.0.2.5:22 的 SSH 主机密钥已更改。', 'ssh-host-key-verification-failed'],
    ['orjson.JSONDecodeError: unexpected character: line 1 column 1 (char 0)', 'invalid-json-response'],
    // Kong's proxy answer when no route (before Kong 1.0, no API) matches the request.
    ['{"message":"no Route matched with those values"}', 'http-404-not-found'],
    ['{"message":"no route and no API found with those values"}', 'http-404-not-found'],
    // A 403 whose rate-limit header says nothing is left is a rate limit (GitHub's API).
    ['HTTP/1.1 403 Forbidden\nX-RateLimit-Limit: 60\nX-RateLimit-Remaining: 0', 'http-429-too-many-requests'],
    // Trilium's check of a login or sync request's time, Checkmk's NTP service, a platform's skew alert.
    [
      'POST /api/login/sync returned 400 with response {"message":"Auth request time is out of sync"}',
      'clock-skew',
    ],
    ['Host: db-1 (IP: 10.0.0.5)Service: NTP TimeState: CRITICAL', 'clock-skew'],
    ['Clock Skew Alert for prod-universe is firing.', 'clock-skew'],
  ])('%s -> %s', (text, id) => {
    expect(top(text)).toBe(id);
  });

  it.each([
    // The same words in another tool's prose are not Helm's.
    [
      'Upgrade failed due to an unexpected exception: System.InvalidOperationException: not initialized.',
      'helm-release-failed',
    ],
    ['Plugin installation failed: The specified configuration cannot be used.', 'helm-release-failed'],
    // A question about a timeout setting names the setting, not a failure (no paraphrase without its
    // failure word).
    [
      'How do I raise the connection timeout in the pool settings? The default is too short for our slow database.',
      'connection-timed-out',
    ],
    [
      'What worker timeout should gunicorn use for long uploads? The default 30 seconds is too short.',
      'app-worker-timeout',
    ],
    // A log timestamp's milliseconds before the level are not a status code.
    [
      '2022-03-03 08:41:48.500 ERROR 19869 --- [           main] o.s.boot.SpringApplication               : Application run failed',
      'http-500-internal-server-error',
    ],
    ['2024-05-01 10:00:00,404 ERROR [worker] job 7 aborted: invalid input', 'http-404-not-found'],
  ])('%s is not %s', (text, id) => {
    expect(top(text)).not.toBe(id);
  });
});
