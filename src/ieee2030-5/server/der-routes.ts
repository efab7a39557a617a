/**
 * The DER function set under an EndDevice: `{base}/edev/{id}/der` lists one DER (index 0), whose four
 * documents the device PUTs (capability, settings, status, availability) and anyone who may see the device
 * can GET back. tenet models one DER per EndDevice: a site's inverter, or an aggregator's member.
 */
import { TeError } from '../../core/errors.js';
import { decodeSep, encodeSep } from '../codec.js';
import { DER_DOCUMENT_SPECS, encodeDER, encodeDERList, type DER } from '../der.js';
import type { SepDerDocumentKind, SepDevice } from './registry.js';
import { pageItems, visibleDevice, type RouteContext, type SepRoute } from './route-context.js';

/** The path segment of each document under `…/der/0/`, as 2030.5 examples and CSIP name them. */
const DOCUMENT_PATHS: Readonly<Record<string, SepDerDocumentKind>> = {
  dercap: 'DERCapability',
  derg: 'DERSettings',
  ders: 'DERStatus',
  dera: 'DERAvailability',
};

const derHref = (ctx: RouteContext, d: SepDevice): string => `${ctx.base}/edev/${d.id}/der/0`;

function der(ctx: RouteContext, d: SepDevice): DER {
  const href = derHref(ctx, d);
  return {
    href,
    DERAvailabilityLink: { href: `${href}/dera` },
    DERCapabilityLink: { href: `${href}/dercap` },
    DERSettingsLink: { href: `${href}/derg` },
    DERStatusLink: { href: `${href}/ders` },
  };
}

export const derRoutes: readonly SepRoute[] = [
  {
    pattern: /^\/edev\/([^/]+)\/der$/,
    get: (ctx, [id]) => {
      const d = visibleDevice(ctx, id);
      if (d === undefined) return undefined;
      const page = pageItems(ctx, [d]);
      return encodeDERList({
        href: `${ctx.base}/edev/${d.id}/der`,
        all: 1,
        results: page.length,
        DER: page.map((x) => der(ctx, x)),
      });
    },
  },
  {
    pattern: /^\/edev\/([^/]+)\/der\/0$/,
    get: (ctx, [id]) => {
      const d = visibleDevice(ctx, id);
      return d && encodeDER(der(ctx, d));
    },
  },
  {
    pattern: /^\/edev\/([^/]+)\/der\/0\/(dercap|derg|ders|dera)$/,
    get: async (ctx, [id, part]) => {
      const d = visibleDevice(ctx, id);
      const kind = DOCUMENT_PATHS[part ?? ''];
      if (d === undefined || kind === undefined) return undefined;
      const document = await ctx.derState.get(d, kind);
      if (document === undefined || document === null) return undefined;
      try {
        return encodeSep(DER_DOCUMENT_SPECS[kind], {
          ...(document as object),
          href: `${derHref(ctx, d)}/${part}`,
        });
      } catch (error) {
        // What the store hands back was decoded on the way in; if it no longer encodes, the fault is ours.
        throw new TeError('TE_ERR_INTERNAL', `stored ${kind} of ${d.id} is not a valid document`, {
          cause: error,
        });
      }
    },
    put: async (ctx, [id, part]) => {
      const d = visibleDevice(ctx, id);
      const kind = DOCUMENT_PATHS[part ?? ''];
      if (d === undefined || kind === undefined) return undefined;
      const { href: _ignored, ...document } = decodeSep<Record<string, unknown>>(
        DER_DOCUMENT_SPECS[kind],
        ctx.body,
        ctx.xmlLimits,
      );
      await ctx.derState.put(d, kind, document);
      return { status: 204 };
    },
  },
];
