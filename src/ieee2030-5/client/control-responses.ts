/**
 * Which DERControlResponses a device owes, each once: received when a control is first seen, started when
 * it becomes one the device follows, completed when it ends after starting, cancelled or superseded when
 * the server (or a newer control of the same program) says so, and a rejection status when a mode of it
 * cannot be followed. responseRequired decides (sep.xsd: bit 0 received, bit 1 the specific responses;
 * absent means "00", no response). Pure bookkeeping: the caller posts and then marks what it sent.
 */
import type { DERControl } from '../der-control.js';
import { EVENT_STATUS, hasControlEnded, type ControlResolution } from './control-resolution.js';
import { RESPONSE_STATUS } from './inverter-mapping.js';

export interface OwedResponse {
  readonly replyTo: string;
  /** The control's mRID. */
  readonly subject: string;
  readonly status: number;
}

interface Tracked {
  control: DERControl;
  readonly sent: Set<number>;
  /** A terminal status was sent (completed, cancelled, superseded, a rejection): nothing more. */
  closed: boolean;
}

const FINAL: ReadonlySet<number> = new Set([
  RESPONSE_STATUS.completed,
  RESPONSE_STATUS.cancelled,
  RESPONSE_STATUS.superseded,
  RESPONSE_STATUS.notApplicable,
  RESPONSE_STATUS.invalid,
  RESPONSE_STATUS.expired,
]);

function requiredBits(control: DERControl): number {
  const text = control.responseRequired ?? '00';
  return Number.parseInt(text, 16) || 0;
}

export class ControlResponses {
  readonly #tracked = new Map<string, Tracked>();

  /** Controls being tracked (seen and not yet forgotten). */
  get size(): number {
    return this.#tracked.size;
  }

  /**
   * The responses owed after a poll: `seen` is every control the poll read, `resolution` what the device
   * follows, `refused` the controls one of whose modes the inverter cannot follow (mRID → status).
   */
  owed(
    seen: readonly DERControl[],
    resolution: Pick<ControlResolution, 'following' | 'superseded'>,
    refused: ReadonlyMap<string, number>,
    nowS: number,
  ): OwedResponse[] {
    const seenIds = new Set<string>();
    for (const control of seen) {
      seenIds.add(control.mRID);
      const tracked = this.#tracked.get(control.mRID);
      if (tracked === undefined) this.#tracked.set(control.mRID, { control, sent: new Set(), closed: false });
      else tracked.control = control;
    }
    const following = new Set(resolution.following.map((c) => c.mRID));
    const superseded = new Set(resolution.superseded.map((c) => c.mRID));
    const owed: OwedResponse[] = [];
    for (const [mRID, tracked] of this.#tracked) {
      const { control } = tracked;
      const status = this.#nextStatus(tracked, seenIds.has(mRID), following, superseded, refused, nowS);
      for (const s of status) {
        const bit = s === RESPONSE_STATUS.received ? 1 : 2;
        if ((requiredBits(control) & bit) === 0 || control.replyTo === undefined) continue;
        owed.push({ replyTo: control.replyTo, subject: mRID, status: s });
      }
      // A control that left the list, or was closed and has ended, needs no more tracking.
      if (!seenIds.has(mRID) && !this.#wantsCompletion(tracked, nowS)) this.#tracked.delete(mRID);
    }
    return owed;
  }

  /** Records a response as delivered; one not marked is owed again after the next poll. */
  markSent(response: OwedResponse): void {
    const tracked = this.#tracked.get(response.subject);
    if (tracked === undefined) return;
    tracked.sent.add(response.status);
    if (FINAL.has(response.status)) tracked.closed = true;
  }

  #wantsCompletion(tracked: Tracked, nowS: number): boolean {
    return (
      !tracked.closed &&
      tracked.sent.has(RESPONSE_STATUS.started) &&
      !tracked.sent.has(RESPONSE_STATUS.completed) &&
      hasControlEnded(tracked.control, nowS)
    );
  }

  #nextStatus(
    tracked: Tracked,
    present: boolean,
    following: ReadonlySet<string>,
    superseded: ReadonlySet<string>,
    refused: ReadonlyMap<string, number>,
    nowS: number,
  ): number[] {
    const { control, sent } = tracked;
    const out: number[] = [];
    if (!sent.has(RESPONSE_STATUS.received)) out.push(RESPONSE_STATUS.received);
    if (tracked.closed) return out;
    const current = control.EventStatus.currentStatus;
    const started = sent.has(RESPONSE_STATUS.started);
    // The status the server gives counts only while the control is listed; a vanished one keeps its last.
    if (
      present &&
      (current === EVENT_STATUS.cancelled || current === EVENT_STATUS.cancelledWithRandomization)
    ) {
      out.push(RESPONSE_STATUS.cancelled);
    } else if ((present && current === EVENT_STATUS.superseded) || superseded.has(control.mRID)) {
      out.push(RESPONSE_STATUS.superseded);
    } else if (refused.has(control.mRID)) {
      out.push(refused.get(control.mRID) as number);
    } else if (started && hasControlEnded(control, nowS)) {
      out.push(RESPONSE_STATUS.completed);
    } else if (!started && following.has(control.mRID)) {
      out.push(RESPONSE_STATUS.started);
    } else if (!started && hasControlEnded(control, nowS)) {
      // Never followed (another program held every mode) and now over: nothing more to say.
      tracked.closed = true;
    }
    return out;
  }
}
