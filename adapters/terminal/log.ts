import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import pc from 'picocolors';
import { REDACTING_LOG_OPTIONS } from '../../src/redact/log.js';

const LEVELS: readonly Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];
const NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/**
 * The logger of `faultline start`: JSON lines on stderr (stdout belongs to the terminal chat), which a
 * container runtime, journald or a log shipper collects as they are; one readable line per record when
 * stderr is a terminal. `FAULTLINE_LOG_FORMAT` (`json`, `pretty`) and `FAULTLINE_LOG_LEVEL` (`info`) override.
 */
export function startLogger(env: NodeJS.ProcessEnv, stream: NodeJS.WritableStream = process.stderr): Logger {
  const level = (env.FAULTLINE_LOG_LEVEL ?? 'info').toLowerCase();
  if (!(LEVELS as readonly string[]).includes(level))
    throw new Error(`FAULTLINE_LOG_LEVEL must be one of ${LEVELS.join(', ')} (got "${level}")`);
  const format = env.FAULTLINE_LOG_FORMAT ?? ((stream as { isTTY?: boolean }).isTTY ? 'pretty' : 'json');
  if (format !== 'json' && format !== 'pretty')
    throw new Error(`FAULTLINE_LOG_FORMAT must be json or pretty (got "${format}")`);
  // Secrets are redacted from every record, whichever the format.
  const options = { ...REDACTING_LOG_OPTIONS, level };
  if (format === 'json') return pino(options, stream === process.stderr ? pino.destination(2) : stream);
  return pino(options, prettyStream(stream, !env.NO_COLOR && (stream as { isTTY?: boolean }).isTTY === true));
}

/** `12:00:01 INFO  faultline started frontEnds=["slack"] guides=250`. */
export function prettyStream(out: NodeJS.WritableStream, color: boolean): DestinationStream {
  const paint = color ? pc : pc.createColors(false);
  return {
    write(line: string) {
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.write(line);
        return;
      }
      const { time, level, msg, pid: _pid, hostname: _host, ...rest } = rec;
      const name = NAMES[Number(level)] ?? String(level);
      const tint = Number(level) >= 50 ? paint.red : Number(level) >= 40 ? paint.yellow : paint.dim;
      const fields = Object.entries(rest)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      const at = new Date(Number(time)).toISOString().slice(11, 19);
      out.write(
        `${paint.dim(at)} ${tint(name.padEnd(5))} ${String(msg ?? '')}${fields ? ` ${paint.dim(fields)}` : ''}\n`,
      );
    },
  };
}
