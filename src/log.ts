// Structured JSON-lines logger. Every line is one event: {time, level, msg, ...fields}; callers
// pass delivery_id / run_id as fields. Secrets are `Secret` objects and serialise as "[redacted]".
// Every value is capped (a client controls header values); an Error becomes pino's {type, message, stack}.
export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
  /** A line another logger already formatted and filtered by level (another thread's): written as it is. */
  raw?(line: string): void;
}

export interface LoggerOptions {
  level?: Level;
  write?: (line: string) => void;
  now?: () => Date;
}

/** Longest logged string value; a request header can be 15 KB and is logged on every rejection. */
export const MAX_VALUE_CHARS = 500;
const MAX_STACK_CHARS = 4000;
const MAX_ITEMS = 50;
const MAX_DEPTH = 5;

function capText(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}…(${s.length - max} more)`;
}

/** An Error in pino's shape {type, message, stack} (pino-pretty prints the stack). */
function errShape(e: Error): Record<string, unknown> {
  return { type: e.name, message: capText(e.message, MAX_STACK_CHARS), stack: capText(e.stack ?? '', MAX_STACK_CHARS) };
}

/** Every value as it is logged: strings capped, errors shaped, deep or long structures cut. */
function capValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return capText(value, MAX_VALUE_CHARS);
  if (value instanceof Error) return errShape(value);
  if (value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => capValue(v, depth + 1));
    return value.length > MAX_ITEMS ? [...items, `…(${value.length - MAX_ITEMS} more)`] : items;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, capValue(v, depth + 1)]));
}

export function createLogger(opts: LoggerOptions = {}, base: Record<string, unknown> = {}): Logger {
  const min = ORDER[opts.level ?? ((process.env.LOG_LEVEL as Level | undefined) ?? 'info')] ?? ORDER.info;
  const write = opts.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const now = opts.now ?? (() => new Date());
  const emit = (level: Level, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    const record: Record<string, unknown> = { time: now().toISOString(), level, msg };
    for (const [k, v] of Object.entries({ ...base, ...fields })) {
      // An Error under `error` is logged as pino's `err`, the key log viewers know.
      record[k === 'error' && v instanceof Error ? 'err' : k] = capValue(v);
    }
    write(JSON.stringify(record));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(opts, { ...base, ...fields }),
    raw: (line) => write(line),
  };
}

/** A logger that keeps its lines in memory (tests assert on them). */
export function memoryLogger(level: Level = 'debug'): Logger & { lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level, write: (l) => lines.push(JSON.parse(l)) });
  return Object.assign(logger, { lines });
}
