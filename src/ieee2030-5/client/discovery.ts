/**
 * The client's walk of the resource tree, following the links the documents give (only dcap's address is
 * known beforehand): DeviceCapability → Time (the clock offset) → EndDeviceList (its own EndDevice, by the
 * LFDI of its certificate) → Registration (the PIN it was installed with must match) →
 * FunctionSetAssignmentsList → DERProgramList (every page) → per program its active controls (or all
 * controls when it links no active list), its DefaultDERControl and its curves.
 */
import { TeError } from '../../core/errors.js';
import {
  decodeDefaultDERControl,
  decodeDERControlList,
  type DefaultDERControl,
  type DERControl,
} from '../der-control.js';
import { decodeDERCurve, decodeDERCurveList, type DERCurve } from '../der-curve.js';
import {
  decodeDERProgramList,
  decodeDeviceCapability,
  decodeEndDeviceList,
  decodeFunctionSetAssignmentsList,
  decodeRegistration,
  decodeTime,
  type DERProgram,
  type DeviceCapability,
  type EndDevice,
  type Link,
  type ListPage,
  type Registration,
} from '../resources.js';
import type { XmlLimits } from '../xml.js';
import type { SepClient } from './sep-client.js';

export interface WalkedProgram {
  readonly program: DERProgram;
  readonly controls: readonly DERControl[];
  /** Whether `controls` came from the ActiveDERControlList (only active ones) or the full DERControlList. */
  readonly controlsFrom: 'active' | 'all';
  readonly defaultControl?: DefaultDERControl;
}

export interface SepTree {
  readonly deviceCapability: DeviceCapability;
  /** Server time minus this client's clock, ms, measured at the middle of the Time request. */
  readonly clockOffsetMs: number;
  readonly endDevice: EndDevice;
  readonly registration: Registration;
  /** The DERProgramLists the function set assignments link. */
  readonly programListHrefs: readonly string[];
  readonly programs: readonly WalkedProgram[];
  /** Curves by href: the programs' DERCurveLists and any curve a control links outside them. */
  readonly curves: ReadonlyMap<string, DERCurve>;
}

export interface WalkOptions {
  /** The registration PIN the device was installed with (with its check digit). */
  readonly pin: number;
  /** This client's clock, ms (scenario time in a simulation). */
  readonly nowMs: () => number;
  /** Items asked per page (`l`), default 25. */
  readonly pageSize?: number;
  /** Most items read from one list, whatever its `all` says (default 1000): a hostile server cannot loop us. */
  readonly maxListItems?: number;
}

function missing(what: string, where: string): TeError {
  return new TeError('TE_ERR_SEP_CLIENT_RESOURCE', `${where} has no ${what}`, {
    path: where,
    hint: 'the server does not offer what an IEEE 2030.5 DER client needs',
  });
}

function need<T extends Link>(link: T | undefined, what: string, where: string): T {
  if (link === undefined) throw missing(what, where);
  return link;
}

/** The href with the paging query `s` and `l` set (kept from any query the href already has). */
export function pageHref(href: string, start: number, limit: number): string {
  const url = new URL(href, 'https://sep.invalid');
  url.searchParams.set('s', String(start));
  url.searchParams.set('l', String(limit));
  return /^https?:/i.test(href) ? url.href : `${url.pathname}${url.search}`;
}

/** Every item of a list, page by page with `s` and `l`, until `all` are read or a page comes back empty. */
export async function readAllPages<L extends ListPage, I>(
  client: SepClient,
  href: string,
  decode: (body: Uint8Array, limits?: XmlLimits) => L,
  itemsOf: (list: L) => readonly I[],
  options: Pick<WalkOptions, 'pageSize' | 'maxListItems'> = {},
): Promise<I[]> {
  const pageSize = options.pageSize ?? 25;
  const maxItems = options.maxListItems ?? 1000;
  const items: I[] = [];
  for (;;) {
    const page = await client.get(pageHref(href, items.length, pageSize), decode);
    const pageItems = itemsOf(page);
    items.push(...pageItems);
    if (pageItems.length === 0 || items.length >= page.all) return items;
    if (items.length >= maxItems) {
      throw new TeError(
        'TE_ERR_SEP_CLIENT_RESOURCE',
        `${href} lists ${page.all} items, over the limit of ${maxItems}`,
        {
          path: href,
          hint: 'raise maxListItems if the server really serves that many',
        },
      );
    }
  }
}

/** Finds this device's EndDevice and checks its registration; a mismatch is a coded error. */
async function ownRegistration(
  client: SepClient,
  dcap: DeviceCapability,
  options: WalkOptions,
): Promise<{ endDevice: EndDevice; registration: Registration }> {
  const listLink = need(dcap.EndDeviceListLink, 'EndDeviceListLink', client.dcapUrl);
  const lfdi = client.identity.lfdi;
  const devices = await readAllPages(client, listLink.href, decodeEndDeviceList, (l) => l.EndDevice, options);
  const endDevice = devices.find((d) => d.lFDI?.toUpperCase() === lfdi);
  if (endDevice === undefined) {
    throw new TeError(
      'TE_ERR_SEP_CLIENT_REGISTRATION',
      `${listLink.href} lists no EndDevice with LFDI ${lfdi}`,
      {
        path: listLink.href,
        hint: 'register the device (its certificate LFDI and PIN) with the server first',
      },
    );
  }
  const where = endDevice.href ?? listLink.href;
  const registration = await client.get(
    need(endDevice.RegistrationLink, 'RegistrationLink', where).href,
    decodeRegistration,
  );
  if (registration.pIN !== options.pin) {
    throw new TeError(
      'TE_ERR_SEP_CLIENT_REGISTRATION',
      `the server's registration PIN for ${lfdi} is ${registration.pIN}, not the ${options.pin} this device was installed with`,
      {
        path: endDevice.RegistrationLink?.href ?? where,
        hint: 'this may not be the utility server the installer meant; check the PIN',
      },
    );
  }
  return { endDevice, registration };
}

/** Reads what one program says: controls (active list preferred), default control, and its curves. */
async function walkProgram(
  client: SepClient,
  program: DERProgram,
  curves: Map<string, DERCurve>,
  options: Pick<WalkOptions, 'pageSize' | 'maxListItems'>,
): Promise<WalkedProgram> {
  const listLink = program.ActiveDERControlListLink ?? program.DERControlListLink;
  const controls =
    listLink === undefined
      ? []
      : await readAllPages(client, listLink.href, decodeDERControlList, (l) => l.DERControl, options);
  const defaultControl =
    program.DefaultDERControlLink === undefined
      ? undefined
      : await client.get(program.DefaultDERControlLink.href, decodeDefaultDERControl);
  if (program.DERCurveListLink !== undefined) {
    const list = await readAllPages(
      client,
      program.DERCurveListLink.href,
      decodeDERCurveList,
      (l) => l.DERCurve,
      options,
    );
    for (const curve of list) if (curve.href !== undefined) curves.set(curve.href, curve);
  }
  return {
    program,
    controls,
    controlsFrom: program.ActiveDERControlListLink !== undefined ? 'active' : 'all',
    ...(defaultControl === undefined ? {} : { defaultControl }),
  };
}

/** Curves a control or default links that no DERCurveList held: read one by one. */
async function linkedCurves(
  client: SepClient,
  programs: readonly WalkedProgram[],
  curves: Map<string, DERCurve>,
) {
  const hrefs = new Set<string>();
  for (const p of programs) {
    for (const base of [...p.controls.map((c) => c.DERControlBase), p.defaultControl?.DERControlBase]) {
      for (const link of [base?.opModVoltVar, base?.opModVoltWatt])
        if (link !== undefined) hrefs.add(link.href);
    }
  }
  for (const href of hrefs) {
    if (!curves.has(href)) curves.set(href, await client.get(href, decodeDERCurve));
  }
}

export async function walkSepTree(client: SepClient, options: WalkOptions): Promise<SepTree> {
  const deviceCapability = await client.get(client.dcapUrl, decodeDeviceCapability);
  const timeLink = need(deviceCapability.TimeLink, 'TimeLink', client.dcapUrl);
  const sentAtMs = options.nowMs();
  const time = await client.get(timeLink.href, decodeTime);
  const clockOffsetMs = time.currentTime * 1000 - (sentAtMs + options.nowMs()) / 2;

  const { endDevice, registration } = await ownRegistration(client, deviceCapability, options);
  const fsaLink = need(
    endDevice.FunctionSetAssignmentsListLink,
    'FunctionSetAssignmentsListLink',
    endDevice.href ?? '',
  );
  const assignments = await readAllPages(
    client,
    fsaLink.href,
    decodeFunctionSetAssignmentsList,
    (l) => l.FunctionSetAssignments,
    options,
  );
  // Several assignments may link the same program list, and several lists the same program.
  const programListHrefs = [
    ...new Set(assignments.flatMap((a) => (a.DERProgramListLink ? [a.DERProgramListLink.href] : []))),
  ];
  const { programs, curves } = await readPrograms(client, programListHrefs, options);
  return { deviceCapability, clockOffsetMs, endDevice, registration, programListHrefs, programs, curves };
}

/**
 * The programs again, from the program lists an earlier walk found: what changes from poll to poll. The
 * device, its registration and the clock offset are kept from `tree`.
 */
export async function refreshSepPrograms(
  client: SepClient,
  tree: SepTree,
  options: Pick<WalkOptions, 'pageSize' | 'maxListItems'>,
): Promise<SepTree> {
  return { ...tree, ...(await readPrograms(client, tree.programListHrefs, options)) };
}

async function readPrograms(
  client: SepClient,
  programListHrefs: readonly string[],
  options: Pick<WalkOptions, 'pageSize' | 'maxListItems'>,
): Promise<Pick<SepTree, 'programs' | 'curves'>> {
  const programs = new Map<string, DERProgram>();
  for (const href of programListHrefs) {
    for (const program of await readAllPages(
      client,
      href,
      decodeDERProgramList,
      (l) => l.DERProgram,
      options,
    )) {
      programs.set(program.href ?? program.mRID, program);
    }
  }
  const curves = new Map<string, DERCurve>();
  const walked: WalkedProgram[] = [];
  for (const program of programs.values()) walked.push(await walkProgram(client, program, curves, options));
  await linkedCurves(client, walked, curves);
  return { programs: walked, curves };
}
