import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { RuleCode } from '../shared/bundle-rules.js';
import type { HttpMethod, JsonSchema, OpenApiDocument, OperationObject, ParameterObject } from './openapi.js';

/** One bad field of a request: a JSON pointer into the body, or the name of a parameter or header. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
  readonly code: string;
}

const COMPONENTS_ID = 'urn:buergerservice:portal-gateway:openapi';

const SCHEMA_REF = '#/components/schemas/';

/**
 * `#/components/schemas/X` -> `urn:…#/$defs/X`: the component schemas are
 * registered with ajv as the `$defs` of one schema, so the document's refs
 * resolve with ajv in strict mode.
 */
function absoluteRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(absoluteRefs);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && value.startsWith(SCHEMA_REF)
        ? `${COMPONENTS_ID}#/$defs/${value.slice(SCHEMA_REF.length)}`
        : absoluteRefs(value),
    ]),
  );
}

const messages: Record<string, { code: RuleCode | string; message: string }> = {
  required: { code: 'required', message: 'is required' },
  minLength: { code: 'required', message: 'must not be empty' },
  type: { code: 'type', message: 'has the wrong type' },
  pattern: { code: 'pattern', message: 'has an invalid format' },
  format: { code: 'format', message: 'is not a valid value for its format' },
  enum: { code: 'enum', message: 'is not one of the allowed values' },
  const: { code: 'enum', message: 'is not the allowed value' },
  maxLength: { code: 'too-long', message: 'is too long' },
  maxItems: { code: 'too-many', message: 'has too many entries' },
  uniqueItems: { code: 'duplicate', message: 'contains duplicates' },
  additionalProperties: { code: 'unknown-field', message: 'is not a known field' },
  minimum: { code: 'range', message: 'is too small' },
  maximum: { code: 'range', message: 'is too large' },
};

/** Turns ajv's errors into one error per field, with the field as a JSON pointer (prefixed for parameters). */
export function fieldErrors(errors: readonly ErrorObject[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    // `if`/`allOf` only say that a sub-schema failed; the failing keyword inside is reported itself.
    if (error.keyword === 'if' || error.keyword === 'allOf') continue;
    let field = error.instancePath;
    if (error.keyword === 'required') field += `/${escapeToken(String(error.params.missingProperty))}`;
    if (error.keyword === 'additionalProperties') field += `/${escapeToken(String(error.params.additionalProperty))}`;
    const known = messages[error.keyword] ?? { code: error.keyword, message: error.message ?? 'is invalid' };
    const message =
      error.keyword === 'format' && error.params.format === 'date'
        ? 'must be a calendar date YYYY-MM-DD'
        : error.keyword === 'format' && error.params.format === 'date-time'
          ? 'must be an RFC 3339 date-time'
          : known.message;
    const named = prefix ? (field ? `${prefix}${field}` : prefix) : field;
    if (!out.some((e) => e.field === named && e.code === known.code))
      out.push({ field: named, message, code: known.code });
  }
  return out;
}

function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export interface CompiledOperation {
  readonly operation: OperationObject;
  /** Validates and coerces path and query parameters (in place); returns the errors. */
  validateParameters(params: Record<string, unknown>, query: Record<string, unknown>): FieldError[];
  /** Validates the body; undefined body is checked against `required`. */
  validateBody(body: unknown): FieldError[];
  readonly hasBody: boolean;
  readonly requiresIdempotencyKey: boolean;
}

/**
 * Compiles the validators of every operation of the OpenAPI document once at
 * start-up (ajv generates code; never per request).
 */
export class RequestValidator {
  private readonly ajv: Ajv2020;
  private readonly operations = new Map<string, CompiledOperation>();

  constructor(private readonly document: OpenApiDocument) {
    this.ajv = new Ajv2020({
      allErrors: true,
      strict: true,
      // `then: { required: [...] }` names properties declared beside it, which is fine.
      strictRequired: false,
      coerceTypes: false,
      useDefaults: false,
    });
    addFormats(this.ajv, ['date', 'date-time', 'uuid', 'uri']);
    // Annotations of OpenAPI that are not JSON Schema keywords.
    this.ajv.addVocabulary(['example']);
    this.ajv.addSchema(absoluteRefs({ $id: COMPONENTS_ID, $defs: document.components.schemas }) as JsonSchema);
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of ['get', 'post', 'delete'] as const) {
        const operation = item[method];
        if (operation) this.operations.set(key(method, path), this.compile(operation));
      }
    }
  }

  /** The compiled operation for `method` on an OpenAPI path template, e.g. ('post', '/api/bundles'). */
  operation(method: HttpMethod, path: string): CompiledOperation {
    const compiled = this.operations.get(key(method, path));
    if (!compiled) throw new Error(`no operation ${method.toUpperCase()} ${path} in the OpenAPI document`);
    return compiled;
  }

  /** The document's operations as (method, path, operation), to mount routes from. */
  entries(): { method: HttpMethod; path: string; operation: OperationObject }[] {
    return Object.entries(this.document.paths).flatMap(([path, item]) =>
      (['get', 'post', 'delete'] as const).flatMap((method) => {
        const operation = item[method];
        return operation ? [{ method, path, operation }] : [];
      }),
    );
  }

  private resolveParameter(parameter: ParameterObject | { readonly $ref: string }): ParameterObject {
    if (!('$ref' in parameter)) return parameter;
    const name = parameter.$ref.replace('#/components/parameters/', '');
    const resolved = this.document.components.parameters[name];
    if (!resolved) throw new Error(`unknown parameter ${parameter.$ref}`);
    return resolved;
  }

  private compile(operation: OperationObject): CompiledOperation {
    const parameters = (operation.parameters ?? []).map((p) => this.resolveParameter(p));
    const pathAndQuery = parameters.filter((p) => p.in === 'path' || p.in === 'query');
    const checks = pathAndQuery.map((p) => ({
      parameter: p,
      validate: this.ajv.compile(absoluteRefs(p.schema) as JsonSchema),
    }));
    const requestBody = operation.requestBody;
    const bodyValidator: ValidateFunction | undefined = requestBody
      ? this.ajv.compile(absoluteRefs(requestBody.content['application/json'].schema) as JsonSchema)
      : undefined;
    return {
      operation,
      hasBody: requestBody !== undefined,
      requiresIdempotencyKey: parameters.some((p) => p.in === 'header' && p.name === 'Idempotency-Key'),
      validateParameters(params, query) {
        const errors: FieldError[] = [];
        for (const key of Object.keys(query)) {
          if (!pathAndQuery.some((p) => p.in === 'query' && p.name === key)) {
            errors.push({ field: key, message: 'is not a known query parameter', code: 'unknown-field' });
          }
        }
        for (const { parameter, validate } of checks) {
          const source = parameter.in === 'path' ? params : query;
          const raw = source[parameter.name];
          if (raw === undefined) {
            if (parameter.required) errors.push({ field: parameter.name, message: 'is required', code: 'required' });
            continue;
          }
          if (Array.isArray(raw)) {
            errors.push({ field: parameter.name, message: 'must be given once', code: 'type' });
            continue;
          }
          const value = coerce(raw, parameter.schema);
          if (validate(value)) source[parameter.name] = value;
          else errors.push(...fieldErrors(validate.errors ?? [], parameter.name));
        }
        return errors;
      },
      validateBody(body) {
        if (!bodyValidator || !requestBody) return [];
        if (body === undefined) {
          return requestBody.required ? [{ field: '', message: 'a JSON body is required', code: 'required' }] : [];
        }
        return bodyValidator(body) ? [] : fieldErrors(bodyValidator.errors ?? []);
      },
    };
  }
}

function key(method: HttpMethod, path: string): string {
  return `${method} ${path}`;
}

/** Query and path values arrive as strings; integer parameters are converted where they look like one. */
function coerce(value: unknown, schema: JsonSchema): unknown {
  if (schema.type === 'integer' && typeof value === 'string' && /^-?\d{1,15}$/.test(value)) return Number(value);
  return value;
}
