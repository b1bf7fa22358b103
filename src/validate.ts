/**
 * Checking what users pass, the same way at every public entry point: an object of known fields (unknown ones are
 * refused, so a misspelt option is never silently ignored), each checked by a rule, with messages of one form —
 * "options.sampleRate, when provided, must be an integer between 8000 and 192000 (got 5)." — and the code
 * `invalid-option`. Touches no browser API, so it runs before any permission prompt.
 */
import { TapedeckError } from './errors';

/** A check of one value: what it must be (the end of the message), or null when it is fine. */
export type Rule = (value: unknown) => string | null;

/** A field of an options object: its rule, and whether it must be given. */
export type Field = Rule | { rule: Rule; required: true };

/** How `value` reads in a message. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** Throws `invalid-option` with `message`. */
export function invalidOption(message: string): never {
  throw new TapedeckError('invalid-option', message);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks the options object `value`, named `path` in messages ('options', 'options.upload'), against `fields`;
 * `owner` says what they are options of ('an option of AudioRecorder'). Undefined fields count as not given.
 * Returns the object, typed.
 */
export function checkOptions<T extends object>(value: unknown, path: string, owner: string, fields: Record<string, Field>): T {
  if (!isObject(value)) invalidOption(`${path}, when provided, must be an object (got ${describe(value)}).`);
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(fields, key)) invalidOption(`${path}.${key} is not ${owner}; the options are ${Object.keys(fields).join(', ')}.`);
  }
  for (const [key, field] of Object.entries(fields)) {
    const { rule, required } = typeof field === 'function' ? { rule: field, required: false } : field;
    const given = value[key];
    if (given === undefined && !required) continue;
    const must = rule(given);
    if (must !== null) invalidOption(`${path}.${key}${required ? '' : ', when provided,'} must be ${must} (got ${describe(given)}).`);
  }
  return value as T;
}

/** Rules for checkOptions(). */
export const rules = {
  boolean: ((value) => (typeof value === 'boolean' ? null : 'true or false')) as Rule,
  nonEmptyString: ((value) => (typeof value === 'string' && value.length > 0 ? null : 'a non-empty string')) as Rule,
  stringRecord: ((value) => (isObject(value) && Object.values(value).every((v) => typeof v === 'string') ? null : 'an object of strings')) as Rule,
  integerIn(min: number, max: number): Rule {
    return (value) => (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? null : `an integer between ${min} and ${max}`);
  },
  numberIn(min: number, max: number, minExclusive = false): Rule {
    return (value) =>
      typeof value === 'number' && Number.isFinite(value) && (minExclusive ? value > min : value >= min) && value <= max
        ? null
        : `a finite number ${minExclusive ? 'above' : 'from'} ${min} ${minExclusive ? 'and at most' : 'to'} ${max}`;
  },
  oneOf(values: readonly unknown[], shown = values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ')): Rule {
    return (value) => (values.includes(value) ? null : `one of ${shown}`);
  },
  /** An http(s) URL, absolute or relative to the page. */
  httpUrl(what: string): Rule {
    return (value) => {
      if (typeof value !== 'string') return what;
      try {
        return /^https?:$/.test(new URL(value, globalThis.location?.href).protocol) ? null : what;
      } catch {
        return what;
      }
    };
  },
  /** An object checked field by field (its own messages, with its own path). */
  object(path: string, owner: string, fields: Record<string, Field>): Rule {
    return (value) => {
      checkOptions(value, path, owner, fields);
      return null;
    };
  },
};
