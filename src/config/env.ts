import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';

/**
 * Every setting of the config file can also come from the environment, for containers and Kubernetes:
 * `FAULTLINE_` and the key's path, each part in upper snake case, joined by `_`: `match.threshold` is
 * `FAULTLINE_MATCH_THRESHOLD`, `ops.drainSeconds` `FAULTLINE_OPS_DRAIN_SECONDS`, `alerts.json.textPath`
 * `FAULTLINE_ALERTS_JSON_TEXT_PATH`. A variable wins over the file. The names are derived from the schema,
 * so a new key has its variable without a line here.
 *
 * Values are parsed by the same schema as the file: a text setting takes the value as it is; any other
 * (numbers, booleans, lists, objects) is read as YAML, so `0.6`, `true`, `[a, b]` and `{team: x}` work,
 * and a list of texts may also be written `a,b`. A bad value is a problem naming the variable.
 */
export interface EnvSetting {
  /** `FAULTLINE_MATCH_THRESHOLD` */
  name: string;
  /** `['match', 'threshold']` */
  path: string[];
  /** A text setting: the value is used as it is, never read as YAML (`0123` stays a text). */
  text: boolean;
  /** A list of texts: `a,b` is accepted besides `[a, b]`. */
  textList: boolean;
}

/**
 * Settings with their own variable, read where they are used, and kept out of the merged config (which
 * the config cache writes to disk): secrets.
 */
const OWN_VARIABLES: Readonly<Record<string, string>> = {
  'alerts.token': 'FAULTLINE_ALERTS_TOKEN',
  'store.url': 'FAULTLINE_REDIS_URL',
};

export const ENV_PREFIX = 'FAULTLINE_';

function snake(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; element?: z.ZodType; shape?: unknown };

function defOf(s: z.ZodType): Def {
  return (s as unknown as { def: Def }).def;
}

/** The schema under defaults, optionals, nullables and transforms. */
function unwrap(s: z.ZodType): z.ZodType {
  for (let i = 0; i < 20; i++) {
    const d = defOf(s);
    if (
      (d.type === 'default' || d.type === 'optional' || d.type === 'nullable' || d.type === 'prefault') &&
      d.innerType
    )
      s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else break;
  }
  return s;
}

function isText(s: z.ZodType): boolean {
  const t = defOf(unwrap(s)).type;
  return t === 'string' || t === 'enum';
}

/** Every setting the schema has, with its variable, in the schema's order. */
export function envSettings(schema: z.ZodType): EnvSetting[] {
  const out: EnvSetting[] = [];
  const walk = (s: z.ZodType, path: string[]) => {
    const u = unwrap(s);
    const d = defOf(u);
    if (d.type === 'object' && path.length < 6) {
      const shape = (u as unknown as { shape: Record<string, z.ZodType> }).shape;
      for (const [k, v] of Object.entries(shape)) walk(v, [...path, k]);
      return;
    }
    const dotted = path.join('.');
    if (dotted in OWN_VARIABLES) return;
    out.push({
      name: ENV_PREFIX + path.map(snake).join('_'),
      path,
      text: isText(u),
      textList: d.type === 'array' && d.element !== undefined && isText(d.element),
    });
  };
  walk(schema, []);
  return out;
}

function valueOf(s: EnvSetting, raw: string): unknown {
  if (s.text) return raw;
  if (s.textList && !raw.trim().startsWith('['))
    return raw
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  try {
    return parseYaml(raw) as unknown;
  } catch {
    // Not YAML: the schema says what it expected, naming the variable.
    return raw;
  }
}

export interface EnvOverlay {
  /** The config file's value with the variables set on top. */
  value: unknown;
  /** Which variable set which path (`match.threshold` -> `FAULTLINE_MATCH_THRESHOLD`). */
  from: Map<string, string>;
}

/** The config file's value (a parsed YAML document) with every setting the environment gives on top. */
export function overlayEnv(value: unknown, env: NodeJS.ProcessEnv, schema: z.ZodType): EnvOverlay {
  const from = new Map<string, string>();
  const settings = envSettings(schema).filter((s) => env[s.name] !== undefined && env[s.name] !== '');
  if (!settings.length) return { value, from };
  const root: Record<string, unknown> =
    value && typeof value === 'object' && !Array.isArray(value)
      ? structuredClone(value as Record<string, unknown>)
      : {};
  for (const s of settings) {
    let at = root;
    for (const key of s.path.slice(0, -1)) {
      const next = at[key];
      at = at[key] =
        next && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : {};
    }
    at[s.path.at(-1) as string] = valueOf(s, env[s.name] as string);
    from.set(s.path.join('.'), s.name);
  }
  return { value: root, from };
}

/** The variable behind a problem's path (a key under the one it set), if one set it. */
export function variableFor(
  from: ReadonlyMap<string, string>,
  path: readonly PropertyKey[],
): string | undefined {
  for (let n = path.length; n > 0; n--) {
    const hit = from.get(path.slice(0, n).map(String).join('.'));
    if (hit) return hit;
  }
  return undefined;
}
