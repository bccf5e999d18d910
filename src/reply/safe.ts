/**
 * Echoed text (a paste, command output) must not ping or unfurl anything on any platform: break Slack's
 * `<!channel>`, `<@U…>`, `<#C…>`, `<http…|…>` and Discord's `@everyone`, `@here`, `<@123>`, `<@&123>`
 * forms with a zero-width space, which both platforms display as nothing.
 */
const ZWSP = '\u200b';

export function neutralizeMentions(text: string): string {
  return text
    .replace(/<([!@#&])/g, `<${ZWSP}$1`)
    .replace(/@(everyone|here|channel)\b/gi, `@${ZWSP}$1`)
    .replace(/\b(https?):\/\//gi, `$1:${ZWSP}//`);
}
