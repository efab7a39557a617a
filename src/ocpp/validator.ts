/**
 * The OCPP 2.0.1 schema validator for ocpp-rpc's strict mode: ocpp-rpc's own, built from the official
 * OCPP 2.0.1 JSON schemas it ships, except that a missing required property is answered with
 * `OccurrenceConstraintViolation` as OCPP 2.0.1 part 4 spells it (ocpp-rpc answers with OCPP 1.6's
 * misspelling `OccurenceConstraintViolation` for every subprotocol).
 */
import { createRequire } from 'node:module';
import { createRPCError, createValidator } from 'ocpp-rpc';

const require = createRequire(import.meta.url);

interface Validator {
  readonly subprotocol: string;
  validate(schemaId: string, params: unknown): boolean;
}

export function ocpp201Validator(): Validator {
  const schemas = require('ocpp-rpc/lib/schemas/ocpp2_0_1.json') as object[];
  const standard = createValidator('ocpp2.0.1', schemas) as unknown as Validator;
  return {
    subprotocol: 'ocpp2.0.1',
    validate(schemaId, params) {
      try {
        return standard.validate(schemaId, params);
      } catch (caught) {
        const error = caught as { rpcErrorCode?: string; message: string; details?: unknown };
        if (error.rpcErrorCode !== 'OccurenceConstraintViolation') throw caught;
        throw createRPCError('OccurrenceConstraintViolation', error.message, error.details as object);
      }
    },
  };
}
