/**
 * A small schema-driven codec. Each IEEE 2030.5 type is described once, in the schema's element order
 * (an XSD sequence is ordered, and a document out of order is invalid), and the same description both
 * writes XML and reads it back into a typed object with coded errors naming the path.
 */
import { TeError } from '../core/errors.js';
import {
  parseSepXml,
  SEP_NAMESPACE,
  type ExtensionNamespaces,
  type XmlLimits,
  type XmlObject,
  type XmlValue,
} from './xml.js';

export interface IntKind {
  readonly int: readonly [min: number, max: number];
}
export interface StringKind {
  readonly string: number; // the maximum length in characters
}
export interface HexKind {
  readonly hex: number; // the maximum length in bytes
}
export type ScalarKind = 'boolean' | 'anyURI' | IntKind | StringKind | HexKind;
/**
 * An element whose schema type is a base type (Notification's `Resource`): the document names the
 * concrete type in `xsi:type`, one of these specs.
 */
export interface XsiTypedKind {
  readonly xsiTypes: readonly TypeSpec[];
}
export type ElementKind = ScalarKind | TypeSpec | XsiTypedKind;
/** The value of an XsiTypedKind element: the concrete type's name and the element's fields. */
export interface XsiTyped<Name extends string = string, T extends object = object> {
  readonly xsiType: Name;
  readonly value: T;
}

export const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

/** An extension namespace (CSIP-AUS) whose elements a 2030.5 type may carry, and the prefix we write. */
export interface XmlNamespace {
  readonly prefix: string;
  readonly uri: string;
}

export interface ElementField {
  /** The property name, and the element's local name. */
  readonly name: string;
  /** Set for an extension element: written as prefix:name, read whatever prefix the document binds. */
  readonly namespace?: XmlNamespace;
  readonly kind: ElementKind;
  readonly required?: boolean;
  readonly many?: boolean;
  /** The schema's maxOccurs when it is a number above one (for example 10 points in a curve). */
  readonly maxItems?: number;
  /** The schema's minOccurs when a repeated element must appear. */
  readonly minItems?: number;
}
export interface AttributeField {
  readonly name: string;
  readonly kind: ScalarKind;
  readonly required?: boolean;
}
export interface TypeSpec {
  readonly type: string;
  readonly attributes: readonly AttributeField[];
  readonly elements: readonly ElementField[];
}

// The schema's numeric types. Int64 (TimeType) is held as a number, so limited to the safe integers.
export const UInt8: IntKind = { int: [0, 255] };
export const UInt16: IntKind = { int: [0, 65_535] };
export const UInt32: IntKind = { int: [0, 4_294_967_295] };
export const UInt40: IntKind = { int: [0, 1_099_511_627_775] };
export const Int8: IntKind = { int: [-128, 127] };
export const Int16: IntKind = { int: [-32_768, 32_767] };
export const Int64: IntKind = { int: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] };

function invalid(message: string, path: string, hint?: string): TeError {
  return new TeError('TE_ERR_VALIDATION', message, hint === undefined ? { path } : { path, hint });
}

const qualifiedName = (field: ElementField): string =>
  field.namespace === undefined ? field.name : `${field.namespace.prefix}:${field.name}`;

const extensionCache = new WeakMap<TypeSpec, ReadonlyMap<string, string>>();

/** The extension namespaces anywhere in a type's tree (URI → prefix), for the parser to admit. */
function extensionNamespaces(spec: TypeSpec): ExtensionNamespaces {
  const cached = extensionCache.get(spec);
  if (cached !== undefined) return cached;
  const found = new Map<string, string>();
  const seen = new Set<TypeSpec>();
  const walk = (s: TypeSpec): void => {
    if (seen.has(s)) return;
    seen.add(s);
    for (const field of s.elements) {
      if (field.namespace !== undefined) found.set(field.namespace.uri, field.namespace.prefix);
      if (isTypeSpec(field.kind)) walk(field.kind);
      else if (isXsiTyped(field.kind)) field.kind.xsiTypes.forEach(walk);
    }
  };
  walk(spec);
  extensionCache.set(spec, found);
  return found;
}

function extensionNamespacesOf(specs: readonly TypeSpec[]): ExtensionNamespaces {
  if (specs.length === 1 && specs[0] !== undefined) return extensionNamespaces(specs[0]);
  return new Map(specs.flatMap((s) => [...extensionNamespaces(s)]));
}

/** What writing one document collects on the way: the extension namespaces its elements used. */
interface WriteContext {
  readonly namespaces: Map<string, string>;
}

function isTypeSpec(kind: ElementKind): kind is TypeSpec {
  return typeof kind === 'object' && 'elements' in kind;
}

function isXsiTyped(kind: ElementKind): kind is XsiTypedKind {
  return typeof kind === 'object' && 'xsiTypes' in kind;
}

/** Whether a document of this type may carry xsi:type, so its root must declare the xsi prefix. */
function usesXsiType(spec: TypeSpec, seen = new Set<TypeSpec>()): boolean {
  if (seen.has(spec)) return false;
  seen.add(spec);
  return spec.elements.some(
    (field) => isXsiTyped(field.kind) || (isTypeSpec(field.kind) && usesXsiType(field.kind, seen)),
  );
}

function xsiTypeSpec(kind: XsiTypedKind, name: unknown, path: string): TypeSpec {
  const spec = kind.xsiTypes.find((s) => s.type === name);
  if (spec === undefined) {
    const known = kind.xsiTypes.map((s) => s.type).join(', ');
    throw invalid(`xsi:type ${String(name)} is not one of ${known}`, `${path}/@xsi:type`);
  }
  return spec;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// Characters XML 1.0 cannot carry at all, even escaped: C0 controls other than tab, LF and CR, lone
// surrogates, U+FFFE and U+FFFF. Writing one would produce a document no peer can read.
// Matching control characters is the point of this pattern.
const NOT_XML_CHAR =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function xmlText(value: string, path: string): string {
  if (NOT_XML_CHAR.test(value)) throw invalid('contains a character XML cannot carry', path);
  return value;
}

function writeScalar(kind: ScalarKind, value: unknown, path: string): string {
  if (kind === 'boolean') {
    if (typeof value !== 'boolean') throw invalid('expected a boolean', path);
    return value ? 'true' : 'false';
  }
  if (kind === 'anyURI') {
    if (typeof value !== 'string') throw invalid('expected a URI string', path);
    return xmlText(value, path);
  }
  if ('int' in kind) {
    const [min, max] = kind.int;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw invalid(`expected an integer in [${min}, ${max}], got ${String(value)}`, path);
    }
    return String(value);
  }
  if ('string' in kind) {
    if (typeof value !== 'string' || value.length > kind.string) {
      throw invalid(`expected a string of at most ${kind.string} characters`, path);
    }
    return xmlText(value, path);
  }
  if (typeof value !== 'string' || !/^(?:[0-9A-Fa-f]{2})*$/.test(value) || value.length > 2 * kind.hex) {
    throw invalid(`expected an even number of hex digits, at most ${2 * kind.hex}`, path);
  }
  return value;
}

function readScalar(kind: ScalarKind, text: string, path: string): unknown {
  if (kind === 'boolean') {
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
    throw invalid(`expected true or false, got '${text}'`, path);
  }
  if (kind === 'anyURI') return text;
  if ('int' in kind) {
    const [min, max] = kind.int;
    const value = /^[+-]?[0-9]{1,16}$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw invalid(`expected an integer in [${min}, ${max}], got '${text}'`, path);
    }
    return value;
  }
  return writeScalar(kind, text, path);
}

function checkCount(field: ElementField, count: number, path: string): void {
  if (count > (field.maxItems ?? Number.POSITIVE_INFINITY) || count < (field.minItems ?? 0)) {
    const range = `${field.minItems ?? 0} to ${field.maxItems ?? 'any number of'}`;
    throw invalid(`${count} ${field.name} elements, the schema allows ${range}`, path);
  }
}

function writeElement(
  spec: TypeSpec,
  name: string,
  value: unknown,
  path: string,
  context: WriteContext,
  rootXmlns: boolean,
  xsiType?: string,
): string {
  if (typeof value !== 'object' || value === null) throw invalid(`expected an object for ${spec.type}`, path);
  const record = value as Record<string, unknown>;
  let head = '';
  if (xsiType !== undefined) head += ` xsi:type="${xsiType}"`;
  for (const attribute of spec.attributes) {
    const v = record[attribute.name];
    if (v === undefined) {
      if (attribute.required)
        throw invalid(`missing attribute ${attribute.name}`, `${path}/@${attribute.name}`);
      continue;
    }
    head += ` ${attribute.name}="${escapeXml(writeScalar(attribute.kind, v, `${path}/@${attribute.name}`))}"`;
  }
  let body = '';
  for (const field of spec.elements) {
    const v = record[field.name];
    const fieldPath = `${path}/${field.name}`;
    if (v === undefined) {
      if (field.required) throw invalid(`missing element ${field.name}`, fieldPath);
      continue;
    }
    if (field.many && !Array.isArray(v)) throw invalid('expected an array', fieldPath);
    const items: readonly unknown[] = field.many ? (v as unknown[]) : [v];
    checkCount(field, items.length, fieldPath);
    const tag = qualifiedName(field);
    if (field.namespace !== undefined) context.namespaces.set(field.namespace.prefix, field.namespace.uri);
    items.forEach((item, index) => {
      const itemPath = field.many ? `${fieldPath}[${index}]` : fieldPath;
      body += isTypeSpec(field.kind)
        ? writeElement(field.kind, tag, item, itemPath, context, false)
        : isXsiTyped(field.kind)
          ? writeXsiTyped(field.kind, tag, item, itemPath, context)
          : `<${tag}>${escapeXml(writeScalar(field.kind, item, itemPath))}</${tag}>`;
    });
  }
  // The root declares the namespaces: 2030.5's, xsi when the type may use it, and each extension used.
  let declarations = '';
  if (rootXmlns) {
    declarations = ` xmlns="${SEP_NAMESPACE}"`;
    if (usesXsiType(spec)) declarations += ` xmlns:xsi="${XSI_NAMESPACE}"`;
    for (const [prefix, uri] of context.namespaces) declarations += ` xmlns:${prefix}="${uri}"`;
  }
  head = `<${name}${declarations}${head}`;
  return body === '' ? `${head}/>` : `${head}>${body}</${name}>`;
}

function writeXsiTyped(
  kind: XsiTypedKind,
  name: string,
  item: unknown,
  path: string,
  context: WriteContext,
): string {
  if (typeof item !== 'object' || item === null || !('value' in item) || !('xsiType' in item)) {
    throw invalid('expected { xsiType, value }', path);
  }
  const spec = xsiTypeSpec(kind, item.xsiType, path);
  return writeElement(spec, name, item.value, path, context, false, spec.type);
}

/**
 * Reads an element carrying xsi:type. The prefix must be `xsi` (as every 2030.5 example writes it), and
 * the type name unprefixed, which in a 2030.5 document means the 2030.5 namespace.
 */
function readXsiTyped(kind: XsiTypedKind, value: XmlValue, path: string): XsiTyped {
  const name = typeof value === 'object' && !Array.isArray(value) ? value['@_xsi:type'] : undefined;
  if (typeof name !== 'string') {
    throw invalid(
      'missing attribute xsi:type',
      `${path}/@xsi:type`,
      'name the concrete type, e.g. xsi:type="DERControlList"',
    );
  }
  const spec = xsiTypeSpec(kind, name, path);
  return { xsiType: spec.type, value: readElement(spec, value, path) };
}

function textOf(value: XmlValue, path: string): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value) && typeof value['#text'] === 'string') return value['#text'];
  if (!Array.isArray(value) && Object.keys(value).every((k) => k.startsWith('@_'))) return '';
  throw invalid('expected text, found elements', path);
}

/**
 * Unknown 2030.5 elements are let through (see decodeSep), but a prefixed one here is in an extension
 * namespace we read (the parser refused any other), whose vocabulary at this place we know: one the type
 * does not name is a 2030.5 element put in the wrong namespace, or an extension element in the wrong place.
 */
function checkExtensionElements(spec: TypeSpec, node: XmlObject, path: string): void {
  for (const key of Object.keys(node)) {
    if (key.startsWith('@_') || !key.includes(':')) continue;
    if (!spec.elements.some((field) => field.namespace !== undefined && qualifiedName(field) === key)) {
      throw invalid(`${spec.type} has no element ${key}`, `${path}/${key}`);
    }
  }
}

function readElement(spec: TypeSpec, value: XmlValue, path: string): Record<string, unknown> {
  if (Array.isArray(value)) throw invalid(`expected one ${spec.type}`, path);
  const node: XmlObject = typeof value === 'string' ? {} : value;
  if (typeof value === 'string' && value !== '') throw invalid(`expected elements, found text`, path);
  const out: Record<string, unknown> = {};
  checkExtensionElements(spec, node, path);
  for (const attribute of spec.attributes) {
    const raw = node[`@_${attribute.name}`];
    const attributePath = `${path}/@${attribute.name}`;
    if (raw === undefined) {
      if (attribute.required) throw invalid(`missing attribute ${attribute.name}`, attributePath);
      continue;
    }
    out[attribute.name] = readScalar(attribute.kind, textOf(raw, attributePath), attributePath);
  }
  for (const field of spec.elements) {
    const raw = node[qualifiedName(field)];
    const fieldPath = `${path}/${qualifiedName(field)}`;
    if (raw === undefined) {
      if (field.required) throw invalid(`missing element ${field.name}`, fieldPath);
      if (field.many) {
        checkCount(field, 0, fieldPath);
        out[field.name] = [];
      }
      continue;
    }
    if (!field.many && Array.isArray(raw)) throw invalid(`element ${field.name} is repeated`, fieldPath);
    const items = Array.isArray(raw) ? raw : [raw];
    checkCount(field, items.length, fieldPath);
    const read = items.map((item, index) => {
      const itemPath = field.many ? `${fieldPath}[${index}]` : fieldPath;
      return isTypeSpec(field.kind)
        ? readElement(field.kind, item, itemPath)
        : isXsiTyped(field.kind)
          ? readXsiTyped(field.kind, item, itemPath)
          : readScalar(field.kind, textOf(item, itemPath), itemPath);
    });
    out[field.name] = field.many ? read : read[0];
  }
  return out;
}

/** Writes a typed object as a complete IEEE 2030.5 document whose root element is named after the type. */
export function encodeSep<T extends object>(spec: TypeSpec, value: T): string {
  const context: WriteContext = { namespaces: new Map() };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${writeElement(spec, spec.type, value, `/${spec.type}`, context, true)}`;
}

/**
 * Reads an IEEE 2030.5 document of the given type. Unknown elements and attributes are ignored here (the
 * schema validator is the strict check); missing, repeated or mistyped known ones are TE_ERR_VALIDATION.
 */
export function decodeSep<T>(spec: TypeSpec, body: string | Uint8Array, limits?: XmlLimits): T {
  const { root, content } = parseSepXml(body, limits, extensionNamespaces(spec));
  if (root !== spec.type) {
    throw invalid(`expected a ${spec.type} document, got ${root}`, `/${root}`, `send a ${spec.type}`);
  }
  return readElement(spec, content, `/${root}`) as T;
}

/** Reads a document that may be any of these types, chosen by its root element. */
export function decodeSepOneOf(
  specs: readonly TypeSpec[],
  body: string | Uint8Array,
  limits?: XmlLimits,
): { readonly type: string; readonly value: unknown } {
  const { root, content } = parseSepXml(body, limits, extensionNamespacesOf(specs));
  const spec = specs.find((s) => s.type === root);
  if (spec === undefined) {
    const names = specs.map((s) => s.type).join(' or ');
    throw invalid(`expected a ${names} document, got ${root}`, `/${root}`, `send a ${names}`);
  }
  return { type: root, value: readElement(spec, content, `/${root}`) };
}
