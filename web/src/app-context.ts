/** What every view reads from the shell: the session, the typed API client and the live event stream. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api/client';
import type { Session } from './api/session';
import type { MarketEventStream } from './live/market-event-stream';

export interface AppContext {
  readonly session: Session;
  readonly api: ApiClient;
  readonly events: MarketEventStream;
  /** The market the dashboard shows (the first one the platform lists). */
  readonly marketId: string | undefined;
}

export const AppContextValue = createContext<AppContext | undefined>(undefined);

export function useApp(): AppContext {
  const context = useContext(AppContextValue);
  if (context === undefined) throw new Error('useApp outside the logged-in shell');
  return context;
}
