/**
 * The catalogue of coded errors. Every error a person can meet has a code, an HTTP status for the API,
 * an exit status for the CLI, and a message that says what was wrong, where, and how to fix it.
 */
export const ERROR_CATALOGUE = {
  TE_ERR_INVALID_JSON: { httpStatus: 400, exitCode: 2, title: 'Input is not valid JSON' },
  TE_ERR_INVALID_YAML: { httpStatus: 400, exitCode: 2, title: 'Input is not valid YAML' },
  TE_ERR_VALIDATION: { httpStatus: 400, exitCode: 2, title: 'Input does not match its schema' },
  TE_ERR_UNKNOWN_KEY: { httpStatus: 400, exitCode: 2, title: 'Unknown key' },
  TE_ERR_NOT_FINITE: { httpStatus: 400, exitCode: 2, title: 'Number is not finite' },
  TE_ERR_NEGATIVE_QUANTITY: { httpStatus: 400, exitCode: 2, title: 'Quantity is negative' },
  TE_ERR_PRICE_OUT_OF_RANGE: { httpStatus: 400, exitCode: 2, title: 'Price outside the market price range' },
  TE_ERR_INPUT_TOO_LARGE: { httpStatus: 413, exitCode: 2, title: 'Input is too large' },
  TE_ERR_FILE_NOT_FOUND: { httpStatus: 404, exitCode: 2, title: 'File not found' },
  TE_ERR_FILE_READ: { httpStatus: 500, exitCode: 2, title: 'File could not be read' },
  TE_ERR_WEATHER_FORMAT: { httpStatus: 400, exitCode: 2, title: 'Weather file is malformed' },
  TE_ERR_WEATHER_RANGE: {
    httpStatus: 400,
    exitCode: 2,
    title: 'Weather does not cover the requested period',
  },
  TE_ERR_SCENARIO: { httpStatus: 400, exitCode: 2, title: 'Scenario is inconsistent' },
  TE_ERR_USAGE: { httpStatus: 400, exitCode: 2, title: 'Command used wrongly' },
  TE_ERR_SLOT_MISALIGNED: { httpStatus: 400, exitCode: 2, title: 'Time is not on a market slot boundary' },
  TE_ERR_DER_PARAMETER: { httpStatus: 400, exitCode: 2, title: 'DER parameter out of range' },
  TE_ERR_DER_CURVE: { httpStatus: 400, exitCode: 2, title: 'DER control curve points out of order' },
  TE_ERR_DSS_SYNTAX: { httpStatus: 400, exitCode: 2, title: 'OpenDSS script is malformed' },
  TE_ERR_DSS_UNSUPPORTED: {
    httpStatus: 400,
    exitCode: 2,
    title: 'OpenDSS command, element or property is not supported',
  },
  TE_ERR_DSS_REFERENCE: { httpStatus: 400, exitCode: 2, title: 'OpenDSS script names something undefined' },
  TE_ERR_DSS_INVALID: { httpStatus: 400, exitCode: 2, title: 'OpenDSS element is inconsistent' },
  TE_ERR_GRID_TOPOLOGY: { httpStatus: 400, exitCode: 2, title: 'Network topology is inconsistent' },
  TE_ERR_GRID_PARAMETER: { httpStatus: 400, exitCode: 2, title: 'Network element parameter out of range' },
  TE_ERR_FEEDER_FORMAT: { httpStatus: 400, exitCode: 2, title: 'Feeder file is malformed' },
  TE_ERR_ORDER_LATE: { httpStatus: 409, exitCode: 2, title: 'Order after gate closure' },
  TE_ERR_UNKNOWN_PARTICIPANT: { httpStatus: 404, exitCode: 2, title: 'Unknown participant' },
  TE_ERR_DUPLICATE_ORDER: { httpStatus: 409, exitCode: 2, title: 'Client order id already used' },
  TE_ERR_UNKNOWN_ORDER: { httpStatus: 404, exitCode: 2, title: 'Unknown order' },
  TE_ERR_UNKNOWN_SLOT: { httpStatus: 404, exitCode: 2, title: 'Unknown market slot' },
  TE_ERR_SLOT_ALREADY_CLEARED: {
    httpStatus: 409,
    exitCode: 2,
    title: 'Slot already has a different clearing result',
  },
  TE_ERR_LEDGER_UNBALANCED: { httpStatus: 422, exitCode: 2, title: 'Ledger entry does not balance' },
  TE_ERR_LEDGER_AMOUNT: { httpStatus: 422, exitCode: 2, title: 'Ledger amount is not a safe integer' },
  TE_ERR_LEDGER_EMPTY_ENTRY: { httpStatus: 422, exitCode: 2, title: 'Ledger entry has no postings' },
  TE_ERR_LEDGER_DUPLICATE_ENTRY: { httpStatus: 409, exitCode: 2, title: 'Ledger entry id already used' },
  TE_ERR_LEDGER_SEQUENCE: { httpStatus: 409, exitCode: 2, title: 'Ledger entry out of sequence' },
  TE_ERR_LEDGER_ENERGY: { httpStatus: 422, exitCode: 2, title: 'Energy bought and sold differ' },
  TE_ERR_UNAUTHORIZED: { httpStatus: 401, exitCode: 2, title: 'Authentication required' },
  TE_ERR_INVALID_CLIENT: { httpStatus: 401, exitCode: 2, title: 'Client authentication failed' },
  TE_ERR_UNSUPPORTED_GRANT: { httpStatus: 400, exitCode: 2, title: 'Grant type not supported' },
  TE_ERR_FORBIDDEN: { httpStatus: 403, exitCode: 2, title: 'Not allowed for this role' },
  TE_ERR_NOT_FOUND: { httpStatus: 404, exitCode: 2, title: 'Resource not found' },
  TE_ERR_UNSUPPORTED_MEDIA_TYPE: { httpStatus: 415, exitCode: 2, title: 'Content type not supported' },
  TE_ERR_RATE_LIMITED: { httpStatus: 429, exitCode: 2, title: 'Too many requests' },
  TE_ERR_OCPP_STATION_OFFLINE: { httpStatus: 409, exitCode: 1, title: 'Charging station is not connected' },
  TE_ERR_OCPP_CALL_FAILED: {
    httpStatus: 502,
    exitCode: 1,
    title: 'Charging station did not accept the call',
  },
  TE_ERR_SLOT_NOT_OPEN: { httpStatus: 409, exitCode: 2, title: 'Market slot is not open for orders' },
  TE_ERR_ALREADY_EXISTS: { httpStatus: 409, exitCode: 2, title: 'Object already exists' },
  TE_ERR_CLOCK_RUNNING: { httpStatus: 409, exitCode: 2, title: 'Demo clock is running' },
  TE_ERR_UNKNOWN_REFERENCE: { httpStatus: 409, exitCode: 2, title: 'Referenced object does not exist' },
  TE_ERR_SLOT_NOT_CLEARED: { httpStatus: 409, exitCode: 2, title: 'Market slot is not cleared yet' },
  TE_ERR_NOT_CONTINUOUS: { httpStatus: 409, exitCode: 2, title: 'Market does not trade continuously' },
  TE_ERR_RUN_MALFORMED: { httpStatus: 422, exitCode: 2, title: 'Simulation run output is malformed' },
  TE_ERR_XML_MALFORMED: { httpStatus: 400, exitCode: 2, title: 'XML is not well formed' },
  TE_ERR_XML_FORBIDDEN: {
    httpStatus: 400,
    exitCode: 2,
    title: 'XML uses a construct that is refused (DTD, entity, processing instruction, deep nesting)',
  },
  TE_ERR_XML_NAMESPACE: { httpStatus: 400, exitCode: 2, title: 'XML is not in the expected namespace' },
  TE_ERR_CERTIFICATE_INVALID: { httpStatus: 400, exitCode: 2, title: 'Certificate cannot be read' },
  TE_ERR_CONFIG: { httpStatus: 400, exitCode: 2, title: 'Server configuration is invalid' },
  TE_ERR_UNAVAILABLE: { httpStatus: 503, exitCode: 1, title: 'Service unavailable' },
  TE_ERR_OUTPUT_WRITE: { httpStatus: 500, exitCode: 1, title: 'Output could not be written' },
  TE_ERR_SUNSPEC_NOT_FOUND: { httpStatus: 502, exitCode: 1, title: 'Device has no SunSpec map' },
  TE_ERR_SUNSPEC_MODEL: { httpStatus: 404, exitCode: 2, title: 'SunSpec model or point unknown' },
  TE_ERR_SUNSPEC_READ_ONLY: { httpStatus: 400, exitCode: 2, title: 'SunSpec point is read-only' },
  TE_ERR_SUNSPEC_RANGE: { httpStatus: 400, exitCode: 2, title: 'SunSpec value out of range' },
  TE_ERR_SUNSPEC_MAP: { httpStatus: 502, exitCode: 1, title: 'SunSpec register map is malformed' },
  TE_ERR_SUNSPEC_DEVICE: { httpStatus: 504, exitCode: 1, title: 'SunSpec device did not answer' },
  TE_ERR_SUNSPEC_VERIFY: { httpStatus: 502, exitCode: 1, title: 'SunSpec write did not read back' },
  TE_ERR_SEP_CLIENT_STATUS: { httpStatus: 502, exitCode: 1, title: 'IEEE 2030.5 server refused a request' },
  TE_ERR_SEP_CLIENT_UNREACHABLE: { httpStatus: 504, exitCode: 1, title: 'IEEE 2030.5 server did not answer' },
  TE_ERR_SEP_CLIENT_REGISTRATION: {
    httpStatus: 409,
    exitCode: 2,
    title: 'IEEE 2030.5 server does not hold this device registration',
  },
  TE_ERR_SEP_CLIENT_RESOURCE: {
    httpStatus: 502,
    exitCode: 1,
    title: 'IEEE 2030.5 resource tree is incomplete',
  },
  TE_ERR_SEP_SUBSCRIPTION: {
    httpStatus: 400,
    exitCode: 2,
    title: 'IEEE 2030.5 subscription refused',
  },
  TE_ERR_SEP_NOTIFICATION_TARGET: {
    httpStatus: 400,
    exitCode: 2,
    title: 'IEEE 2030.5 notificationURI refused',
  },
  TE_ERR_SEP_MIRROR: {
    httpStatus: 400,
    exitCode: 2,
    title: 'IEEE 2030.5 metering mirror refused',
  },
  TE_ERR_INTERNAL: { httpStatus: 500, exitCode: 1, title: 'Internal error' },
} as const satisfies Record<string, { httpStatus: number; exitCode: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface TeErrorInit {
  /** Where: a JSON pointer, key path, `file:line`, or bid reference. */
  readonly path?: string;
  /** How to fix it. */
  readonly hint?: string;
  readonly cause?: unknown;
}

export class TeError extends Error {
  readonly code: ErrorCode;
  readonly path: string | undefined;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, init: TeErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'TeError';
    this.code = code;
    this.path = init.path;
    this.hint = init.hint;
  }

  get httpStatus(): number {
    return ERROR_CATALOGUE[this.code].httpStatus;
  }

  get exitCode(): number {
    return ERROR_CATALOGUE[this.code].exitCode;
  }

  /** One line for a terminal: code, where, what, how to fix. */
  toLine(): string {
    const where = this.path === undefined ? '' : ` at ${this.path}`;
    const hint = this.hint === undefined ? '' : ` (${this.hint})`;
    return `${this.code}${where}: ${this.message}${hint}`;
  }

  toJSON(): { code: ErrorCode; title: string; message: string; path?: string; hint?: string } {
    return {
      code: this.code,
      title: ERROR_CATALOGUE[this.code].title,
      message: this.message,
      ...(this.path === undefined ? {} : { path: this.path }),
      ...(this.hint === undefined ? {} : { hint: this.hint }),
    };
  }
}

export function teError(code: ErrorCode, message: string, init?: TeErrorInit): TeError {
  return new TeError(code, message, init);
}

export function isTeError(value: unknown): value is TeError {
  return value instanceof TeError;
}
