/**
 * How the feeder's operating envelopes reach the homes in a simulation. 'direct' hands the market the
 * computed limits as they are. 'ieee2030.5-csip-aus' sends them the way an Australian DSO does: each slot,
 * each home's envelope becomes a DERControl of the DSO's program whose DERControlBase carries the CSIP-AUS
 * csipaus:opModExpLimW and csipaus:opModImpLimW; the control is written as XML, read back by the client's
 * codec, resolved as a device resolves its programs (control-resolution.ts) at the start of the slot it is
 * for, turned into site limits by the client's mapping (inverter-mapping.ts), and only then applied to the
 * home's bids. So a scenario run this way exercises the protocol path end to end.
 *
 * Watts are integers on the wire (csip-aus.ts, limitFromWatts): each limit is rounded down to the whole
 * watt (to 10 W above 32,767 W, and so on), so a delivered limit never allows more than the computed one.
 * An unbounded limit (the feeder could not be solved) is left out, which the device reads as no limit.
 */
import { limitFromWatts } from '../../ieee2030-5/csip-aus.js';
import { resolveDerControls, type ProgramControls } from '../../ieee2030-5/client/control-resolution.js';
import { siteLimitsKw } from '../../ieee2030-5/client/inverter-mapping.js';
import { decodeDERControl, encodeDERControl, type DERControl } from '../../ieee2030-5/der-control.js';

export const ENVELOPE_DELIVERIES = ['direct', 'ieee2030.5-csip-aus'] as const;
export type EnvelopeDeliveryKind = (typeof ENVELOPE_DELIVERIES)[number];

/** Per premises limits, kW ≥ 0, +Infinity where there is none. */
export interface EnvelopeArrays {
  readonly importKw: Float64Array;
  readonly exportKw: Float64Array;
}

/** What a run counts of the delivery, to report and to test. */
export interface EnvelopeDeliveryStats {
  /** DERControl documents written and read back. */
  documents: number;
  /** Bytes of XML they made. */
  bytes: number;
}

const EVENT_SCHEDULED = 0;

/** A 32-hex-digit mRID from the home and the slot, so one run always names a control the same way. */
function controlMRID(premises: number, startS: number): string {
  return `${premises.toString(16).padStart(8, '0')}${startS.toString(16).padStart(24, '0')}`.toUpperCase();
}

export class CsipAusEnvelopeDelivery {
  /** Where the feeder writes the envelopes it computes; the market reads what `deliver` writes. */
  readonly computed: EnvelopeArrays;
  readonly stats: EnvelopeDeliveryStats = { documents: 0, bytes: 0 };
  private readonly program: ProgramControls['program'] = { mRID: 'D50'.padEnd(32, '0'), primacy: 1 };

  constructor(premisesCount: number) {
    this.computed = {
      importKw: new Float64Array(premisesCount).fill(Number.POSITIVE_INFINITY),
      exportKw: new Float64Array(premisesCount).fill(Number.POSITIVE_INFINITY),
    };
  }

  /**
   * Sends each home's computed envelope as a CSIP-AUS DERControl over [startMs, startMs + durationMs) and
   * writes what the home's client makes of it into `delivered`. `createdMs` is when the DSO computed it.
   */
  deliver(delivered: EnvelopeArrays, startMs: number, durationMs: number, createdMs: number): void {
    const startS = Math.floor(startMs / 1000);
    const duration = Math.round(durationMs / 1000);
    const creationTime = Math.floor(createdMs / 1000);
    for (let p = 0; p < this.computed.importKw.length; p++) {
      const importLimit = limitFromWatts((this.computed.importKw[p] ?? Number.POSITIVE_INFINITY) * 1000);
      const exportLimit = limitFromWatts((this.computed.exportKw[p] ?? Number.POSITIVE_INFINITY) * 1000);
      const control: DERControl = {
        mRID: controlMRID(p, startS),
        description: 'operating envelope',
        creationTime,
        EventStatus: { currentStatus: EVENT_SCHEDULED, dateTime: creationTime, potentiallySuperseded: false },
        interval: { start: startS, duration },
        DERControlBase: {
          ...(importLimit === undefined ? {} : { opModImpLimW: importLimit }),
          ...(exportLimit === undefined ? {} : { opModExpLimW: exportLimit }),
        },
      };
      const xml = encodeDERControl(control);
      this.stats.documents += 1;
      this.stats.bytes += xml.length;
      // The home's side: read the document, resolve its programs at the slot's start, map to site limits.
      const received = decodeDERControl(xml);
      const resolved = resolveDerControls([{ program: this.program, controls: [received] }], startS);
      const limits = siteLimitsKw(resolved.base);
      delivered.importKw[p] = limits.maxImportKw ?? Number.POSITIVE_INFINITY;
      delivered.exportKw[p] = limits.maxExportKw ?? Number.POSITIVE_INFINITY;
    }
  }
}

/** The delivery a feeder section asks for; null for 'direct' (the market reads the computed envelopes). */
export function envelopeDeliveryFor(
  kind: EnvelopeDeliveryKind | undefined,
  premisesCount: number,
): CsipAusEnvelopeDelivery | null {
  return kind === 'ieee2030.5-csip-aus' ? new CsipAusEnvelopeDelivery(premisesCount) : null;
}
