/** The source thread a paste belongs to: a URL without its #fragment, or `owner/repo#N`, lower-cased. */
export function thread(source: string): string;
/** The split the corpus puts a source thread in: sha1 of the thread, first byte even goes to dev. */
export function splitOf(source: string): 'dev' | 'test';
