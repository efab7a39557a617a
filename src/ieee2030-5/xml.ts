/**
 * Hardened reading of IEEE 2030.5 XML bodies. A 2030.5 body never needs a DTD, an entity of its own, a
 * processing instruction or deep nesting, so all of these are refused before the parser sees the text:
 * that closes XXE and entity expansion (billion laughs) at the door instead of relying on parser options,
 * and bounds the parser's work by the byte limit and the depth limit.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { TeError } from '../core/errors.js';

/** The one namespace every IEEE 2030.5 element lives in (schema version 2.2, edition 2023). */
export const SEP_NAMESPACE = 'urn:ieee:std:2030.5:ns';

/** The largest 2030.5 resource we expect is a full list page; 64 KiB leaves ample room. */
export const DEFAULT_MAX_XML_BYTES = 64 * 1024;

/** The deepest 2030.5 document (DERControlList/DERControl/DERControlBase/opMod.../value) is under 8. */
export const DEFAULT_MAX_XML_DEPTH = 32;

export interface XmlLimits {
  readonly maxBytes?: number;
  readonly maxDepth?: number;
}

/** A parsed element: attributes under `@_name`, child elements by name (an array when repeated), text. */
export type XmlValue = string | XmlObject | XmlValue[];
export interface XmlObject {
  [name: string]: XmlValue;
}

export interface ParsedSepXml {
  /** The root element's local name, for example `DERControl`. */
  readonly root: string;
  /** The root element's content: an object, or a string when it holds only text or nothing. */
  readonly content: XmlValue;
}

const ENTITY_OK = /^&(?:lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});/;

function forbidden(message: string, path: string, hint: string): TeError {
  return new TeError('TE_ERR_XML_FORBIDDEN', message, { path, hint });
}

function malformed(message: string, path: string): TeError {
  return new TeError('TE_ERR_XML_MALFORMED', message, {
    path,
    hint: 'send one well-formed XML document encoded as UTF-8',
  });
}

function decodeUtf8(body: string | Uint8Array, maxBytes: number): string {
  const bytes = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
  if (bytes > maxBytes) {
    throw new TeError('TE_ERR_INPUT_TOO_LARGE', `XML body is ${bytes} bytes, over the limit of ${maxBytes}`, {
      hint: 'IEEE 2030.5 resources are small; page long lists with the s and l query parameters',
    });
  }
  if (typeof body === 'string') return body;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch (cause) {
    throw new TeError('TE_ERR_XML_MALFORMED', 'XML body is not valid UTF-8', { cause });
  }
}

/** Where a start tag ends, skipping `>` inside quoted attribute values; -1 when it never ends. */
function startTagEnd(text: string, from: number): number {
  let quote = '';
  for (let i = from; i < text.length; i += 1) {
    const c = text[i];
    // XML allows no raw '<' in a tag, quoted or not; the parser's own check lets it through in values.
    if (c === '<') throw malformed("'<' inside a start tag", `offset ${i}`);
    if (quote !== '') {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return i;
    }
  }
  return -1;
}

/**
 * One linear pass over the text: refuses markup declarations, processing instructions, unknown entity
 * references and nesting deeper than `maxDepth`. Comments and CDATA are skipped whole; anything that looks
 * like a DTD or an entity inside them is refused too, which costs nothing since 2030.5 needs neither.
 */
function screen(text: string, maxDepth: number): void {
  let i = 0;
  if (text.startsWith('\uFEFF')) i = 1;
  if (/^<\?xml[\s?]/.test(text.slice(i, i + 6))) {
    const end = text.indexOf('?>', i);
    if (end < 0) throw malformed('the XML declaration is not closed', 'line 1');
    i = end + 2;
  }
  for (let amp = text.indexOf('&'); amp >= 0; amp = text.indexOf('&', amp + 1)) {
    if (!ENTITY_OK.test(text.slice(amp, amp + 12))) {
      throw forbidden(
        `entity reference '${text.slice(amp, amp + 12).split(';')[0] ?? '&'};' is refused`,
        `offset ${amp}`,
        'only &lt; &gt; &amp; &quot; &apos; and numeric character references are allowed',
      );
    }
  }
  let depth = 0;
  const outside = (from: number, to: number): void => {
    // The parser silently drops text around the root, so a body with trailing junk must stop here.
    if (depth === 0 && text.slice(from, to).trim() !== '') {
      throw malformed('text outside the root element', `offset ${from}`);
    }
  };
  for (let lt = text.indexOf('<', i); lt >= 0; lt = text.indexOf('<', i)) {
    outside(i, lt);
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) throw malformed('a comment is not closed', `offset ${lt}`);
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0) throw malformed('a CDATA section is not closed', `offset ${lt}`);
      i = end + 3;
    } else if (text.startsWith('<!', lt)) {
      throw forbidden(
        `markup declaration '${text.slice(lt, lt + 10)}' is refused`,
        `offset ${lt}`,
        'IEEE 2030.5 bodies carry no DOCTYPE, ENTITY or other DTD declarations',
      );
    } else if (text.startsWith('<?', lt)) {
      throw forbidden(
        'a processing instruction other than the XML declaration is refused',
        `offset ${lt}`,
        'only <?xml version="1.0" encoding="UTF-8"?> at the very start is allowed',
      );
    } else if (text.startsWith('</', lt)) {
      depth -= 1;
      const end = text.indexOf('>', lt);
      i = end < 0 ? text.length : end + 1;
    } else {
      const end = startTagEnd(text, lt + 1);
      if (end < 0) throw malformed('a start tag is not closed', `offset ${lt}`);
      if (text[end - 1] !== '/') {
        depth += 1;
        if (depth > maxDepth) {
          throw forbidden(
            `elements are nested deeper than ${maxDepth}`,
            `offset ${lt}`,
            'IEEE 2030.5 documents are shallow; this looks like an attack or a bug',
          );
        }
      }
      i = end + 1;
    }
  }
  outside(i, text.length);
}

function namespaceError(message: string, path: string): TeError {
  return new TeError('TE_ERR_XML_NAMESPACE', message, {
    path,
    hint: `declare xmlns="${SEP_NAMESPACE}" on the root element and use no element prefixes`,
  });
}

/**
 * Extension namespaces a document may carry beside 2030.5's own (CSIP-AUS: https://csipaus.org/ns), each
 * with the prefix the codecs read its elements under: namespace URI → canonical prefix.
 */
export type ExtensionNamespaces = ReadonlyMap<string, string>;

const NO_EXTENSIONS: ExtensionNamespaces = new Map();

/**
 * Namespace declarations a document may make: each element's in-scope prefixes are copied where it declares
 * one, so a body of thousands of declarations would cost quadratic work for nothing a 2030.5 peer needs.
 */
export const MAX_NAMESPACE_DECLARATIONS = 32;

interface NamespaceScope {
  /** prefix → namespace URI in scope at this element. */
  readonly prefixes: ReadonlyMap<string, string>;
  readonly extensions: ExtensionNamespaces;
  /** Declarations seen so far in the document (shared by the whole walk). */
  readonly declarations: { count: number };
}

/** The scope inside an element: its own `xmlns:p` declarations added to its parent's. */
function innerScope(value: XmlObject, scope: NamespaceScope, path: string): NamespaceScope {
  let prefixes: Map<string, string> | undefined;
  for (const key of Object.keys(value)) {
    if (!key.startsWith('@_xmlns:')) continue;
    scope.declarations.count += 1;
    if (scope.declarations.count > MAX_NAMESPACE_DECLARATIONS) {
      throw new TeError(
        'TE_ERR_XML_FORBIDDEN',
        `more than ${MAX_NAMESPACE_DECLARATIONS} namespace declarations`,
        {
          path,
          hint: 'declare each namespace once, on the root element',
        },
      );
    }
    prefixes ??= new Map(scope.prefixes);
    prefixes.set(key.slice('@_xmlns:'.length), String(value[key]));
  }
  return prefixes === undefined ? scope : { ...scope, prefixes };
}

/**
 * The canonical name of a prefixed element: the prefix must be declared in scope and bound to one of the
 * extension namespaces the caller reads; the element is then read under that namespace's own prefix, so a
 * document writing `ns2:opModExpLimW` with xmlns:ns2 bound to CSIP-AUS reads as `csipaus:opModExpLimW`.
 */
function canonicalName(key: string, scope: NamespaceScope, path: string): string {
  const colon = key.indexOf(':');
  const prefix = key.slice(0, colon);
  const uri = scope.prefixes.get(prefix);
  const canonicalPrefix = uri === undefined ? undefined : scope.extensions.get(uri);
  if (canonicalPrefix === undefined) {
    const accepted = [...scope.extensions.keys()];
    throw new TeError(
      'TE_ERR_XML_NAMESPACE',
      uri === undefined
        ? `element '${key}' has an undeclared namespace prefix`
        : `element '${key}' is in namespace '${uri}', which is not read here`,
      {
        path: `${path}/${key}`,
        hint:
          accepted.length === 0
            ? `use no element prefixes: every element is in ${SEP_NAMESPACE}`
            : `2030.5 elements take no prefix; prefixed elements must be in ${accepted.join(' or ')}`,
      },
    );
  }
  return `${canonicalPrefix}:${key.slice(colon + 1)}`;
}

/**
 * Every 2030.5 element unprefixed, no element re-declaring the default namespace as something else, and
 * prefixed elements only in the extension namespaces asked for, renamed to their canonical prefix (each
 * resolved with its own declarations, so `<c:x xmlns:c="…">` works). `scope` already holds the element's
 * own declarations.
 */
function checkElement(value: XmlObject, path: string, scope: NamespaceScope): void {
  const renamed = new Map<string, XmlValue[]>();
  for (const [key, child] of Object.entries(value)) {
    if (key === '@_xmlns' && child !== SEP_NAMESPACE) {
      throw namespaceError(`an element declares namespace '${String(child)}'`, path);
    }
    if (key.startsWith('@_') || key === '#text') continue;
    const items = Array.isArray(child) ? child : [child];
    if (!key.includes(':')) {
      items.forEach((item, index) =>
        visit(item, items.length > 1 ? `${path}/${key}[${index}]` : `${path}/${key}`, scope),
      );
      continue;
    }
    delete value[key];
    for (const item of items) {
      const itemScope =
        typeof item === 'object' && !Array.isArray(item) ? innerScope(item, scope, path) : scope;
      const name = canonicalName(key, itemScope, path);
      const same = renamed.get(name);
      if (same === undefined) renamed.set(name, [item]);
      else same.push(item);
      if (typeof item === 'object' && !Array.isArray(item)) checkElement(item, `${path}/${name}`, itemScope);
    }
  }
  // Two prefixes for one namespace in one parent name the same element: merged, a repeat of a single
  // element is then the codec's error, as it would be unprefixed.
  for (const [name, items] of renamed) value[name] = items.length === 1 ? (items[0] as XmlValue) : items;
}

function visit(value: XmlValue, path: string, parentScope: NamespaceScope): void {
  if (typeof value === 'string') return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => visit(item, `${path}[${index}]`, parentScope));
    return;
  }
  checkElement(value, path, innerScope(value, parentScope, path));
}

const PARSER_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
} as const;
/** Parsers hold only their options, so one of each serves every body. */
const XML_ENTITY_PARSER = new XMLParser({ ...PARSER_OPTIONS, htmlEntities: false });
// Named HTML entities never get here (screen refuses them); this decodes numeric references.
const NUMERIC_REFERENCE_PARSER = new XMLParser({ ...PARSER_OPTIONS, htmlEntities: true });

/**
 * Parses one IEEE 2030.5 body. Text values stay strings (`<mRID>0012</mRID>` is '0012'); the codecs
 * convert them by the schema's types. Elements of the `extensions` namespaces (none by default) are kept
 * under their canonical prefix; any other prefixed element is refused. Throws a coded TeError for anything refused or malformed.
 */
export function parseSepXml(
  body: string | Uint8Array,
  limits: XmlLimits = {},
  extensions: ExtensionNamespaces = NO_EXTENSIONS,
): ParsedSepXml {
  const text = decodeUtf8(body, limits.maxBytes ?? DEFAULT_MAX_XML_BYTES);
  screen(text, limits.maxDepth ?? DEFAULT_MAX_XML_DEPTH);
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    throw malformed(valid.err.msg, `line ${valid.err.line}, column ${valid.err.col}`);
  }
  // Decoding numeric references runs the parser's whole HTML entity table over every value, which is most
  // of its time; a body without '&#' (nearly all) gives the same result with the XML entities alone.
  const parser = text.includes('&#') ? NUMERIC_REFERENCE_PARSER : XML_ENTITY_PARSER;
  let document: XmlObject;
  try {
    document = parser.parse(text) as XmlObject;
  } catch (cause) {
    // The parser refuses names such as __proto__ and constructor (prototype pollution) by throwing.
    throw new TeError('TE_ERR_XML_FORBIDDEN', `the parser refused the body: ${String(cause)}`, {
      cause,
      hint: 'IEEE 2030.5 element and attribute names are those of the schema',
    });
  }
  const roots = Object.keys(document);
  const root = roots[0];
  if (roots.length !== 1 || root === undefined) throw malformed('expected exactly one root element', '/');
  const content = document[root] as XmlValue;
  if (Array.isArray(content)) throw malformed('expected exactly one root element', `/${root}`);
  if (root.includes(':')) throw namespaceError(`root element '${root}' has a namespace prefix`, `/${root}`);
  if (typeof content === 'string' || content['@_xmlns'] !== SEP_NAMESPACE) {
    const declared = typeof content === 'string' ? undefined : content['@_xmlns'];
    throw namespaceError(
      declared === undefined
        ? `root element '${root}' declares no namespace`
        : `root element '${root}' is in namespace '${String(declared)}'`,
      `/${root}`,
    );
  }
  visit(content, `/${root}`, { prefixes: new Map(), extensions, declarations: { count: 0 } });
  return { root, content };
}
