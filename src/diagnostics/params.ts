import path from 'node:path';
import type { ParamSpec } from './param-spec.js';
import { assertSafeArgument, UnsafeArgumentError } from './quote.js';

export type { ParamSpec };
export type ParamValue = string | number;

export class ParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParamError';
  }
}

const UNIT = /^[A-Za-z0-9@_:.\\][A-Za-z0-9@_:.\\-]{0,255}$/;
const DURATION = /^-[1-9][0-9]{0,4}(s|m|min|h|d)$/;
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOSTNAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*\\.?$`);
/** Linux caps pid_max at 2^22. */
export const MAX_PID = 4_194_304;

function asInteger(name: string, raw: ParamValue, min: number, max: number): number {
  const text = String(raw);
  if (!/^[0-9]{1,10}$/.test(text)) throw new ParamError(`parameter ${name} must be a whole number`);
  const n = Number(text);
  if (n < min || n > max) throw new ParamError(`parameter ${name} must be between ${min} and ${max}`);
  return n;
}

/** Returns the value as it will appear on the command line, or throws ParamError naming the problem. */
export function validateParam(name: string, spec: ParamSpec, raw: ParamValue): string {
  if (typeof raw !== 'string' && typeof raw !== 'number')
    throw new ParamError(`parameter ${name} must be a string or number`);
  try {
    assertSafeArgument(String(raw), `parameter ${name}`);
  } catch (e) {
    if (e instanceof UnsafeArgumentError) throw new ParamError(e.message);
    throw e;
  }
  const value = String(raw);
  if (value.length === 0) throw new ParamError(`parameter ${name} is empty`);
  switch (spec.type) {
    case 'int':
      if (!/^-?[0-9]{1,16}$/.test(value)) throw new ParamError(`parameter ${name} must be a whole number`);
      if (Number(value) < spec.min || Number(value) > spec.max)
        throw new ParamError(`parameter ${name} must be between ${spec.min} and ${spec.max}`);
      return String(Number(value));
    case 'pid':
      return String(asInteger(name, raw, 1, MAX_PID));
    case 'port':
      return String(asInteger(name, raw, 1, 65_535));
    case 'enum':
      if (!spec.values.includes(value))
        throw new ParamError(`parameter ${name} must be one of ${spec.values.join(', ')}`);
      return value;
    case 'pattern': {
      if (value.length > spec.maxLength)
        throw new ParamError(`parameter ${name} is longer than ${spec.maxLength} characters`);
      if (!new RegExp(`^(?:${spec.pattern})$`, 'u').test(value))
        throw new ParamError(`parameter ${name} does not match ${spec.pattern}`);
      return value;
    }
    case 'unit':
      if (!UNIT.test(value))
        throw new ParamError(
          `parameter ${name} is not a systemd unit name (letters, digits, "@_:.-\\", at most 256)`,
        );
      return value;
    case 'duration':
      if (!DURATION.test(value))
        throw new ParamError(`parameter ${name} must be a time in the past like -15m, -2h or -1d`);
      return value;
    case 'hostname':
      if (!HOSTNAME.test(value)) throw new ParamError(`parameter ${name} is not a host name`);
      return value;
    case 'path': {
      if (!value.startsWith('/')) throw new ParamError(`parameter ${name} must be an absolute path`);
      if (value.split('/').includes('..')) throw new ParamError(`parameter ${name} must not contain ".."`);
      const normal = path.posix.normalize(value);
      const under = spec.roots.some((root) => {
        const r = path.posix.normalize(root).replace(/\/+$/, '');
        return normal === r || normal.startsWith(`${r}/`);
      });
      if (!under) throw new ParamError(`parameter ${name} must be under ${spec.roots.join(' or ')}`);
      return normal;
    }
    case 'url': {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        throw new ParamError(`parameter ${name} is not a URL`);
      }
      const scheme = url.protocol.replace(/:$/, '');
      if (!(spec.schemes as string[]).includes(scheme))
        throw new ParamError(`parameter ${name} must be a ${spec.schemes.join(' or ')} URL`);
      if (url.username || url.password) throw new ParamError(`parameter ${name} must not carry credentials`);
      if (/\s/.test(value)) throw new ParamError(`parameter ${name} must not contain spaces`);
      // The canonical form, so what is audited is what curl sees.
      return url.href;
    }
  }
}

/**
 * Validates a whole parameter set: every declared parameter present and valid, nothing undeclared.
 * Returns the canonical values.
 */
export function validateParams(
  specs: Record<string, ParamSpec>,
  given: Record<string, ParamValue>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(specs, key))
      throw new ParamError(`unknown parameter ${JSON.stringify(key.slice(0, 64))}`);
  }
  for (const [name, spec] of Object.entries(specs)) {
    const raw = Object.hasOwn(given, name) ? given[name] : undefined;
    if (raw === undefined) throw new ParamError(`missing parameter ${name}`);
    out[name] = validateParam(name, spec, raw);
  }
  return out;
}
