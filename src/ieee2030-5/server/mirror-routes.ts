/**
 * The metering mirror function set: a device creates MirrorUsagePoints under `{base}/mup` and posts its
 * readings to them; the readings become platform telemetry (`mirror-telemetry.ts`). A usage point belongs
 * to the device whose LFDI it names; a device sees its own, an aggregator also those of the devices it
 * speaks for.
 */
import { TeError } from '../../core/errors.js';
import { decodeSepOneOf } from '../codec.js';
import {
  decodeMirrorUsagePoint,
  encodeMirrorUsagePoint,
  encodeMirrorUsagePointList,
  MirrorMeterReadingListSpec,
  MirrorMeterReadingSpec,
  type MirrorMeterReading,
  type MirrorMeterReadingList,
  type MirrorUsagePoint,
} from '../metering-mirror.js';
import { telemetryFromMirror } from './mirror-telemetry.js';
import type { SepDevice, SepMirrorUsagePoint, SepTelemetryReading } from './registry.js';
import { pageItems, type RouteContext, type SepRoute } from './route-context.js';

/** Most usage points one device may create (a site meter, a DER meter, a few spares). */
export const MAX_MIRROR_USAGE_POINTS_PER_DEVICE = 10;
/** Most MirrorMeterReadings (reading types) one usage point may describe. */
export const MAX_METER_READINGS_PER_USAGE_POINT = 32;

const hrefOf = (ctx: RouteContext, id: string): string => `${ctx.base}/mup/${id}`;

/** What describes a MirrorMeterReading, without its readings: what the server keeps. */
const descriptor = (r: MirrorMeterReading): MirrorMeterReading => ({
  mRID: r.mRID,
  ...(r.description === undefined ? {} : { description: r.description }),
  ...(r.version === undefined ? {} : { version: r.version }),
  ...(r.ReadingType === undefined ? {} : { ReadingType: r.ReadingType }),
});

const sameMRID = (a: string, b: string): boolean => a.toUpperCase() === b.toUpperCase();

/** The kept descriptors with the posted ones added or updated; a ReadingType once sent is kept. */
function mergeDescriptors(
  kept: readonly MirrorMeterReading[],
  posted: readonly MirrorMeterReading[],
  path: string,
): MirrorMeterReading[] {
  const merged = [...kept];
  for (const reading of posted) {
    const i = merged.findIndex((k) => sameMRID(k.mRID, reading.mRID));
    const previous = i < 0 ? undefined : merged[i];
    const next = descriptor({ ...reading, ReadingType: reading.ReadingType ?? previous?.ReadingType });
    if (i < 0) merged.push(next);
    else merged[i] = next;
  }
  if (merged.length > MAX_METER_READINGS_PER_USAGE_POINT) {
    throw new TeError(
      'TE_ERR_SEP_MIRROR',
      `a usage point describes at most ${MAX_METER_READINGS_PER_USAGE_POINT} MirrorMeterReadings`,
      { path },
    );
  }
  return merged;
}

const readingTypeIn = (kept: readonly MirrorMeterReading[]) => (mRID: string) =>
  kept.find((k) => sameMRID(k.mRID, mRID))?.ReadingType;

async function record(ctx: RouteContext, owner: SepDevice, readings: SepTelemetryReading[]): Promise<void> {
  if (readings.length === 0) return;
  if (ctx.telemetry === undefined) {
    throw new TeError('TE_ERR_UNAVAILABLE', 'this server does not take telemetry');
  }
  await ctx.telemetry.record(owner, readings);
}

/** The usage point with this id when its device is visible to the requester. */
async function visibleMirror(
  ctx: RouteContext,
  id: string | undefined,
): Promise<{ mirror: SepMirrorUsagePoint; owner: SepDevice } | undefined> {
  const mirror = id === undefined ? undefined : await ctx.mirrors.get(id);
  const owner = ctx.devices.visibleTo(ctx.device.lfdi).find((d) => d.id === mirror?.deviceId);
  return mirror === undefined || owner === undefined ? undefined : { mirror, owner };
}

const served = (ctx: RouteContext, m: SepMirrorUsagePoint): MirrorUsagePoint => ({
  ...m.usagePoint,
  href: hrefOf(ctx, m.id),
});

async function createUsagePoint(ctx: RouteContext): Promise<{ status: number; location: string }> {
  const posted = decodeMirrorUsagePoint(ctx.body, ctx.xmlLimits);
  const owner = ctx.devices
    .visibleTo(ctx.device.lfdi)
    .find((d) => d.lfdi === posted.deviceLFDI.toUpperCase());
  if (owner === undefined) {
    throw new TeError('TE_ERR_FORBIDDEN', 'deviceLFDI is not this device or one it speaks for', {
      path: '/MirrorUsagePoint/deviceLFDI',
    });
  }
  const mine = await ctx.mirrors.list(owner);
  // Posting the same mRID again is how a client finds its usage point after a restart (2030.5): the
  // existing one is updated and its location returned.
  const existing = mine.find((m) => sameMRID(m.usagePoint.mRID, posted.mRID));
  if (existing === undefined && mine.length >= MAX_MIRROR_USAGE_POINTS_PER_DEVICE) {
    throw new TeError(
      'TE_ERR_SEP_MIRROR',
      `device ${owner.id} already has ${MAX_MIRROR_USAGE_POINTS_PER_DEVICE} MirrorUsagePoints`,
      { path: '/MirrorUsagePoint/mRID', hint: 'post to an existing usage point (same mRID)' },
    );
  }
  const kept = existing?.usagePoint.MirrorMeterReading ?? [];
  const postedReadings = posted.MirrorMeterReading ?? [];
  const telemetry = telemetryFromMirror(
    posted.mRID,
    postedReadings.map((reading, i) => ({ reading, path: `/MirrorUsagePoint/MirrorMeterReading[${i}]` })),
    readingTypeIn(kept),
  );
  const { href: _ignored, ...fields } = posted;
  const usagePoint: MirrorUsagePoint = {
    ...fields,
    MirrorMeterReading: mergeDescriptors(kept, postedReadings, '/MirrorUsagePoint/MirrorMeterReading'),
  };
  const id = await ctx.mirrors.save(owner, usagePoint, existing?.id);
  await record(ctx, owner, telemetry);
  return { status: 201, location: hrefOf(ctx, id) };
}

async function postReadings(
  ctx: RouteContext,
  id: string | undefined,
): Promise<{ status: number } | undefined> {
  const found = await visibleMirror(ctx, id);
  if (found === undefined) return undefined;
  const { mirror, owner } = found;
  const document = decodeSepOneOf(
    [MirrorMeterReadingSpec, MirrorMeterReadingListSpec],
    ctx.body,
    ctx.xmlLimits,
  );
  const posted =
    document.type === 'MirrorMeterReading'
      ? [{ reading: document.value as MirrorMeterReading, path: '/MirrorMeterReading' }]
      : (document.value as MirrorMeterReadingList).MirrorMeterReading.map((reading, i) => ({
          reading,
          path: `/MirrorMeterReadingList/MirrorMeterReading[${i}]`,
        }));
  const kept = mirror.usagePoint.MirrorMeterReading ?? [];
  const telemetry = telemetryFromMirror(mirror.usagePoint.mRID, posted, readingTypeIn(kept));
  const merged = mergeDescriptors(
    kept,
    posted.map((p) => p.reading),
    posted[0]?.path ?? `/${document.type}`,
  );
  // Only a new reading type changes the usage point; plain readings leave it as it is.
  if (merged.length !== kept.length || posted.some((p) => p.reading.ReadingType !== undefined)) {
    await ctx.mirrors.save(owner, { ...mirror.usagePoint, MirrorMeterReading: merged }, mirror.id);
  }
  await record(ctx, owner, telemetry);
  return { status: 204 };
}

/** All usage points the requester may see, in device then creation order. */
export async function visibleMirrors(ctx: RouteContext): Promise<readonly SepMirrorUsagePoint[]> {
  const lists = await Promise.all(ctx.devices.visibleTo(ctx.device.lfdi).map((d) => ctx.mirrors.list(d)));
  return lists.flat();
}

export const mirrorRoutes: readonly SepRoute[] = [
  {
    pattern: /^\/mup$/,
    get: async (ctx) => {
      const all = await visibleMirrors(ctx);
      const page = pageItems(ctx, all);
      return encodeMirrorUsagePointList({
        href: `${ctx.base}/mup`,
        all: all.length,
        results: page.length,
        MirrorUsagePoint: page.map((m) => served(ctx, m)),
      });
    },
    post: createUsagePoint,
  },
  {
    pattern: /^\/mup\/([^/]+)$/,
    get: async (ctx, [id]) => {
      const found = await visibleMirror(ctx, id);
      return found && encodeMirrorUsagePoint(served(ctx, found.mirror));
    },
    post: (ctx, [id]) => postReadings(ctx, id),
  },
];
