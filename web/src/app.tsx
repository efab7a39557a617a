/**
 * The shell: log in, then a header with the views the role may open, the live-stream status and the
 * demo's clock controls, and the current view below. One API client and one event stream per session.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { createApiClient, dataOf } from './api/client';
import { logOut, storedSession, type Session } from './api/session';
import { AppContextValue, type AppContext } from './app-context';
import { EmptyState } from './components/panel';
import { DemoBar } from './components/demo-bar';
import { MarketEventStream, type StreamStatus } from './live/market-event-stream';
import { followLink, navigate, useLocation } from './router';
import { routeOf, routesFor } from './view-routes';
import { LoginView } from './views/login-view';

export function App() {
  const [session, setSession] = useState<Session | undefined>(() => storedSession());
  if (session === undefined) return <LoginView onLoggedIn={setSession} />;
  return (
    <LoggedIn
      session={session}
      onLogOut={() => {
        logOut();
        setSession(undefined);
        navigate('/');
      }}
    />
  );
}

function LoggedIn({ session, onLogOut }: { session: Session; onLogOut: () => void }) {
  const api = useMemo(() => createApiClient(session, onLogOut), [session]);
  const events = useMemo(() => new MarketEventStream(session.token), [session]);
  const [marketId, setMarketId] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const { path } = useLocation();

  useEffect(() => {
    events.start();
    const unsubscribe = events.onStatus(setStatus);
    return () => {
      unsubscribe();
      events.stop();
    };
  }, [events]);
  useEffect(() => {
    dataOf(api.GET('/api/markets')).then(
      (markets) => setMarketId(markets[0]?.id),
      () => setMarketId(undefined),
    );
  }, [api]);

  const context: AppContext = { session, api, events, marketId };
  const route = routeOf(path, session.role);
  const View = route?.view;
  return (
    <AppContextValue.Provider value={context}>
      <header class="topbar">
        <a class="brand" href="/" onClick={(e) => followLink(e, '/')}>
          tenet
        </a>
        <nav class="views" aria-label="Views">
          {routesFor(session.role).map((r) => (
            <a
              key={r.path}
              href={r.path}
              class={route === r ? 'active' : undefined}
              aria-current={route === r ? 'page' : undefined}
              onClick={(e) => followLink(e, r.path)}
            >
              {r.label(session.role)}
            </a>
          ))}
        </nav>
        <DemoBar />
        <div class="who">
          <span
            class={`live-dot live-${status}`}
            title={`event stream: ${status}`}
            data-testid="stream-status"
          >
            {status === 'live' ? 'live' : status === 'connecting' ? 'connecting' : 'reconnecting'}
          </span>
          <span class="role" data-testid="session-role">
            {session.role}
            {session.participantId === undefined ? '' : ` · ${session.participantId}`}
          </span>
          <button type="button" class="link-button" onClick={onLogOut}>
            Log out
          </button>
        </div>
      </header>
      <main class="view">
        {View === undefined ? <EmptyState text="This page does not exist for your role." /> : <View />}
      </main>
    </AppContextValue.Provider>
  );
}
