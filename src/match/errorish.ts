/**
 * Words that make a line read like an error report, in several languages. One list, shared by the
 * engine (word overlap weighs error lines) and passive listening (chatter without them is left alone).
 */
export const ERRORISH =
  /\b(?:err\w*|fail\w*|fatal|panic\w*|exception|denied|refused|unable|cannot|can't|couldn't|could not|timed? ?out|timeout|killed|abort\w*|invalid|unreachable|reset|broken|crash\w*|refus\w*|not found|no such|too many|exceeded|unavailable|back-?off|oom|locked|exit (?:code|status)|traceback|fehler|erreur|错误|失败|エラー|ошибка)\b/iu;

/** Case matters here: errno names (`ECONNRESET`) and status lines (`502 Bad Gateway`), not "Every" or "else". */
const ERROR_CODE = /\b(?:E[A-Z]{3,}|[1-5]\d\d [A-Z][a-z]+)\b/;

export function looksLikeError(text: string): boolean {
  return ERRORISH.test(text) || ERROR_CODE.test(text);
}
