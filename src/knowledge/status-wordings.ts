/**
 * The ways clients print an HTTP status number, written once for every guide that owns a status. A guide
 * names its status in front matter (`status: 429`); the parser adds these wordings, with the number put in,
 * to that guide's signatures (or summaries), so that a client's wording learned for one status serves all
 * of them. Wordings that name one status's phrase ("429 Too Many Requests") stay in the guide.
 */

/** Where a number is put into a wording. */
const STATUS_SLOT = '{status}';

/** Evidence wordings: literals (case-insensitive) or `/regex/flags`, as in a guide's `signatures`. */
export const STATUS_SIGNATURES: readonly string[] = [
  // Chinese "reports / returns / shows NNN": the number with its verb.
  '/(?:报|返回了?|出现)\\s?{status}(?:\\D|$)/',
  // urllib's HTTPError.
  'HTTP Error {status}',
  // A status line, as curl -v, wget and raw socket dumps print it.
  '/\\bHTTP\\/[\\d.]+ {status}\\b/',
  // `status: 429`, `statusCode=429`, `status_code: 429` from SDKs and structured logs.
  '/\\bstatus(?:[ _]?code)?["\']?[ =:]{1,3}{status}\\b/i',
  "/\\b(?:http|response) (?:status )?code[\"']?[ =:]{1,3}{status}\\b/i",
  '/\\bHTTP {status}\\b/',
  // A status code said in a sentence: "the status code was 429", "received status code of 429".
  '/\\bstatus[ _]?code\\b[^\\n]{0,40}?\\b(?:was|got|received|returned|is|of)\\W{0,2}{status}\\b/i',
  // "429 error(s)"; not a log timestamp's milliseconds before its level ("08:41:48.429 ERROR").
  '/(?:^|[^\\w.,:]){status} errors?\\b/im',
  // A browser console's failed request: method, URL, status.
  '/\\b(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) https?:\\/\\/[^\\s]{1,300} {status}\\b/',
  '/\\b(?:Error|ERROR):? {status}(?:\\D|$)/m',
  // curl's --fail: "The requested URL returned error: 429".
  '/returned error: {status}\\b/',
  // .NET's WebException "The remote server returned an error: (429)" in its translated catalogs.
  '/(?:远程服务器返回错误|遠端伺服器傳回一個錯誤|Der Remoteserver hat einen Fehler zurückgegeben|Le serveur distant a retourné une erreur|Error en el servidor remoto|Errore del server remoto|O servidor remoto retornou um erro|Удал[её]нный сервер возвратил ошибку|リモート サーバーがエラーを返しました) ?[:：;；] ?[(（]?{status}\\b|원격 서버에서 \\({status}\\)/i',
];

/** How people name a status in words, added to the guide's aliases. */
export const STATUS_ALIASES: readonly string[] = ['http {status}', '{status} error'];

/** The catalog's wordings with one status put in. */
export function statusWordings(status: number): { signatures: string[]; aliases: string[] } {
  const fill = (w: string) => w.split(STATUS_SLOT).join(String(status));
  return { signatures: STATUS_SIGNATURES.map(fill), aliases: STATUS_ALIASES.map(fill) };
}
