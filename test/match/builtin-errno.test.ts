import { describe, expect, it } from 'vitest';
import { ERRNO_CATALOG } from '../../src/knowledge/errno-catalog.js';
import { builtinEngine } from '../helpers.js';

const { top, guides } = builtinEngine();

// Every translation glibc ships for a message a built-in guide names in `errno`, as strerror prints it
// after a program's own prefix, must be answered by that guide: the catalog is the guide's in every locale.
const rows = guides.flatMap((g) =>
  g.errno.flatMap((name) =>
    Object.entries(ERRNO_CATALOG[name].translations).map(
      ([lang, text]) => [g.id, name, lang, `open("/var/lib/app/state.db"): ${text}`] as const,
    ),
  ),
);

describe("the built-in guides: glibc's translated errno texts", () => {
  it('covers the messages guides own in the common locales', () => {
    const named = new Set(guides.flatMap((g) => g.errno));
    expect([...named].sort()).toEqual(Object.keys(ERRNO_CATALOG).sort());
    for (const lang of ['de', 'fr', 'es', 'pt_BR', 'ru', 'ja', 'ko', 'zh_CN', 'zh_TW'])
      expect(rows.filter((r) => r[2] === lang).length, lang).toBeGreaterThanOrEqual(15);
  });

  it.each(rows)('%s answers %s in %s: %s', (id, _name, _lang, paste) => {
    expect(top(paste)).toBe(id);
  });
});
