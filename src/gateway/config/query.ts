/**
 * One way to read a GET endpoint's query string, for every endpoint that takes one: each
 * parameter is a zod schema built here (its OpenAPI form kept beside it, so the document is
 * generated from the same objects), and `parseQuery` refuses what a person would otherwise
 * never notice: an unknown or misspelt parameter (which would quietly filter nothing), a
 * parameter given twice that takes one value, and a value of the wrong form, each named with
 * what to send instead. Express parses the query with Node's `querystring`: a value is a string,
 * or an array of strings when its name is repeated; `status[]` is a name of its own.
 */
import { z } from 'zod';
import { GatewayError, type ErrorDetail } from '../errors.js';

/** The OpenAPI 3.1 schema of one query parameter, and whether it may be repeated. */
export interface QueryParamMeta {
  openapi: Record<string, unknown>;
  description?: string;
  /** Taken as a list (`?dir=a&dir=b`); every other parameter may appear once. */
  many?: boolean;
  required?: boolean;
}

const META = new WeakMap<z.ZodType, QueryParamMeta>();

function param<S extends z.ZodType>(schema: S, meta: QueryParamMeta): S {
  META.set(schema, meta);
  return schema;
}

const got = (input: unknown): string => `(got ${JSON.stringify(input)})`;

/** Free text; an empty value counts as absent. */
export function textParam(description?: string): z.ZodType<string | undefined, string | undefined> {
  return param(
    z
      .string()
      .optional()
      .transform((value) => (value === '' ? undefined : value)),
    { openapi: { type: 'string' }, description },
  );
}

/** One of `values`; an empty value counts as absent. */
export function choiceParam<const T extends readonly [string, ...string[]]>(
  values: T,
  description?: string,
): z.ZodType<T[number] | undefined, string | undefined> {
  const list = values.join(', ');
  return param(
    z
      .string()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined || value === '') return undefined;
        if ((values as readonly string[]).includes(value)) return value as T[number];
        ctx.addIssue({ code: 'custom', message: `must be one of ${list} ${got(value)}` });
        return z.NEVER;
      }),
    { openapi: { type: 'string', enum: [...values] }, description },
  );
}

/**
 * A whole number from `min` (to `max`, if given); an empty value counts as absent. With `clamp`,
 * a number outside the range is brought into it instead of refused (the audit's `limit`).
 */
export function wholeParam(options: {
  min: number;
  max?: number;
  default?: number;
  clamp?: boolean;
  description?: string;
}): z.ZodType<number | undefined, string | undefined> {
  const { min, max } = options;
  const range = max === undefined ? `≥ ${min}` : `from ${min} to ${max}`;
  return param(
    z
      .string()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined || value.trim() === '') return undefined;
        const text = value.trim();
        // Any number of digits: 99999999999999999999 is a whole number (≥ 0, and clamped where asked), not a malformed one.
        const number = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
        if (Number.isNaN(number) || (!options.clamp && (number < min || (max !== undefined && number > max)))) {
          ctx.addIssue({ code: 'custom', message: `must be a whole number ${range} ${got(value)}` });
          return z.NEVER;
        }
        // Past 2^53 a number is no longer exact: the largest exact one stands for it (an offset past every row).
        return Math.min(max ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, Math.max(min, number));
      }),
    {
      openapi: {
        type: 'integer',
        minimum: min,
        ...(max === undefined ? {} : { maximum: max }),
        ...(options.default === undefined ? {} : { default: options.default }),
      },
      description: options.description,
    },
  );
}

/** A parameter taken as a list (repeated, `?dir=a&dir=b`): `item` checks each value. */
export function listParam<S extends z.ZodType>(item: S, description?: string): z.ZodType<Array<z.output<S>>, string | string[]> {
  return param(
    z.preprocess((value) => (typeof value === 'string' ? [value] : value), z.array(item)) as unknown as z.ZodType<Array<z.output<S>>, string | string[]>,
    { openapi: { type: 'array', items: { type: 'string' } }, description, many: true },
  );
}

/** Declares a parameter built elsewhere (its own zod schema) with its OpenAPI form. */
export function customParam<S extends z.ZodType>(schema: S, meta: QueryParamMeta): S {
  return param(schema, meta);
}

export type QueryShape = Record<string, z.ZodType>;

function queryError(details: ErrorDetail[]): GatewayError {
  const summary = details.map((d) => `${d.path}: ${d.message}`).join('; ');
  return new GatewayError('validation_failed', `invalid query parameter: ${summary}`, { details });
}

/**
 * Reads a query string's parameters (`req.query`) by `shape`.
 * @returns each parameter's parsed value (absent or empty → undefined, unless the schema defaults it)
 * @throws GatewayError `validation_failed` (400) with one detail per problem, the message
 *   `invalid query parameter: <name>: <what is wrong and what to send>`: an unknown name (the known
 *   ones listed; an endpoint without parameters says it takes none), a repeated parameter that takes
 *   one value ("may appear once"), a value of the wrong form (`offset: must be a whole number ≥ 0 (got "x")`)
 */
export function parseQuery<T extends QueryShape>(shape: T, query: Record<string, unknown>): { [K in keyof T]: z.output<T[K]> } {
  const details: ErrorDetail[] = [];
  const known = Object.keys(shape);
  const knownText = known.length === 0 ? 'this endpoint takes no query parameters' : `use ${known.join(', ')}`;
  const input: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query)) {
    if (!Object.hasOwn(shape, name)) {
      details.push({ path: name, message: `unknown parameter; ${knownText}` });
    } else if (Array.isArray(value) && !META.get(shape[name]!)?.many) {
      details.push({ path: name, message: `may appear once (got ${value.length} values); give one value` });
    } else if (typeof value !== 'string' && !Array.isArray(value)) {
      details.push({ path: name, message: 'expected a plain value' });
    } else {
      input[name] = value;
    }
  }
  if (details.length > 0) throw queryError(details);
  const result = z.object(shape).safeParse(input);
  if (!result.success) {
    throw queryError(result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message.replace(/^Invalid input: /, '') })));
  }
  return result.data as { [K in keyof T]: z.output<T[K]> };
}

/** The OpenAPI `parameters` of a query shape (`in: query`), from the same schemas `parseQuery` reads. */
export function queryParameters(shape: QueryShape): Array<Record<string, unknown>> {
  return Object.entries(shape).map(([name, schema]) => {
    const meta = META.get(schema);
    return {
      name,
      in: 'query',
      required: meta?.required ?? false,
      ...(meta?.description ? { description: meta.description } : {}),
      schema: meta?.openapi ?? { type: 'string' },
      ...(meta?.many ? { style: 'form', explode: true } : {}),
    };
  });
}
