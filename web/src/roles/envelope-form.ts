/**
 * The DSO's operating-envelope form read into the body of PUT .../slots/{s}/envelopes: a limit is a
 * magnitude in kW, blank for no limit; one participant or all of them.
 */
export interface EnvelopeBody {
  readonly envelopes: { participantId: string; importLimitKw: number | null; exportLimitKw: number | null }[];
}

/** The server's bound for a limit, kW, and for envelopes per request. */
export const MAX_LIMIT_KW = 1e6;
export const MAX_ENVELOPES = 1000;

export type LimitParse = { ok: true; value: number | null } | { ok: false; error: string };

export function parseLimitKw(text: string, what: string): LimitParse {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: null };
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value < 0 || value > MAX_LIMIT_KW) {
    return {
      ok: false,
      error: `${what} must be a number of kW from 0 to ${MAX_LIMIT_KW.toLocaleString('en-US')}, or blank for no limit`,
    };
  }
  return { ok: true, value };
}

export function envelopeBody(
  participantIds: readonly string[],
  importText: string,
  exportText: string,
): { ok: true; body: EnvelopeBody } | { ok: false; error: string } {
  if (participantIds.length === 0) return { ok: false, error: 'choose a participant' };
  if (participantIds.length > MAX_ENVELOPES) {
    return { ok: false, error: `at most ${MAX_ENVELOPES} participants per request` };
  }
  const importLimit = parseLimitKw(importText, 'the import limit');
  if (!importLimit.ok) return importLimit;
  const exportLimit = parseLimitKw(exportText, 'the export limit');
  if (!exportLimit.ok) return exportLimit;
  if (importLimit.value === null && exportLimit.value === null) {
    return { ok: false, error: 'give an import limit, an export limit or both' };
  }
  return {
    ok: true,
    body: {
      envelopes: participantIds.map((participantId) => ({
        participantId,
        importLimitKw: importLimit.value,
        exportLimitKw: exportLimit.value,
      })),
    },
  };
}
