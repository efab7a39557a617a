/**
 * Who may hear of a change: the notifiers apply the same object privacy as the reads, so a VEN's
 * subscription or topic never carries an object that VEN could not GET (Definition, Object Privacy).
 */
import type { Kysely } from 'kysely';
import { isBusinessLogic } from '../scopes.js';
import type { Caller } from '../../server/auth/tokens.js';
import type { Role } from '../../server/auth/roles.js';
import { getApiClient } from '../../store/api-client-repository.js';
import {
  getOpenAdrObject,
  venObjectsWithEnabledClients,
  type StoredOpenAdrObject,
} from '../../store/openadr-object-repository.js';
import type { StoreSchema } from '../../store/schema.js';
import { grantedTargetsOf, grantedTargetsOfAll } from '../granted-targets.js';
import { parseBody, targetsOf, venViewText } from '../object-views.js';
import { hiddenTargets, visibleToVen } from '../privacy.js';

type Db = Kysely<StoreSchema>;

/** The caller a stored clientID stands for; undefined when the client is gone or disabled. */
export async function callerForClient(db: Db, clientId: string): Promise<Caller | undefined> {
  const client = await getApiClient(db, clientId);
  if (client === undefined || client.disabled) return undefined;
  return { clientId, role: client.role as Role, participantId: client.participantId };
}

/**
 * The JSON text of `object` as `caller` may see it, or undefined when it may not: business logic sees
 * every object; a VEN its own reports, subscriptions, VENs and resources, and the programs and events
 * untargeted or targeted through the targets granted to it (with target hiding).
 */
export async function objectViewFor(
  db: Db,
  caller: Caller,
  object: StoredOpenAdrObject,
): Promise<string | undefined> {
  if (isBusinessLogic(caller)) return object.bodyText;
  if (object.objectType !== 'PROGRAM' && object.objectType !== 'EVENT')
    return object.clientId === caller.clientId ? object.bodyText : undefined;
  if (!object.targeted) return object.bodyText;
  const granted = await grantedTargetsOf(db, caller);
  return visibleToVen(targetsOf(parseBody(object)), granted) ? venViewText(object, granted) : undefined;
}

/** What one VEN object's topics carry of a change: the object as that VEN's client may read it. */
export interface VenView {
  readonly venId: string;
  readonly view: string;
}

/**
 * `objectViewFor` for every VEN object at once, for a program or event: each VEN object of an enabled
 * client with the view its client may read, VENs that may not read it left out. A fixed number of
 * queries however many VENs there are (the VEN objects with their clients; for a targeted object, every
 * client's granted targets), and each distinct view serialised once.
 */
export async function venViewsOf(db: Db, object: StoredOpenAdrObject): Promise<VenView[]> {
  const vens = await venObjectsWithEnabledClients(db);
  if (!object.targeted) return vens.map((ven) => ({ venId: ven.venId, view: object.bodyText }));
  const grantedTo = await grantedTargetsOfAll(db);
  const body = parseBody(object);
  const objectTargets = targetsOf(body);
  const viewsByShown = new Map<string, string>();
  const views: VenView[] = [];
  for (const ven of vens) {
    const caller: Caller = {
      clientId: ven.clientId,
      role: ven.role as Role,
      participantId: ven.participantId,
    };
    if (isBusinessLogic(caller)) {
      views.push({ venId: ven.venId, view: object.bodyText });
      continue;
    }
    const granted = grantedTo(caller);
    if (!visibleToVen(objectTargets, granted)) continue;
    // The same text venViewText makes, serialised once per distinct set of targets shown.
    const shown = hiddenTargets(objectTargets, granted);
    const key = JSON.stringify(shown);
    let view = viewsByShown.get(key);
    if (view === undefined) {
      view = JSON.stringify({ ...body, targets: shown });
      viewsByShown.set(key, view);
    }
    views.push({ venId: ven.venId, view });
  }
  return views;
}

/**
 * Which MQTT topic filters a caller may subscribe to: business logic any; a VEN only those below
 * `vens/{venID}/` (or `vens/{venID}/<operation>`) for a VEN object its client owns, whose messages carry
 * only what that VEN may read. Wildcards above that level would reach other VENs' topics.
 */
export async function maySubscribeToTopic(
  db: Db,
  caller: Caller,
  topicFilter: string,
  topicPrefix = '',
): Promise<boolean> {
  if (isBusinessLogic(caller)) return true;
  if (!topicFilter.startsWith(`${topicPrefix}vens/`)) return false;
  const venId = topicFilter.slice(topicPrefix.length + 'vens/'.length).split('/')[0] ?? '';
  if (venId === '' || venId === '+' || venId === '#') return false;
  const ven = await getOpenAdrObject(db, 'VEN', venId);
  return ven !== undefined && ven.clientId === caller.clientId;
}
