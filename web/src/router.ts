/**
 * Routing on the History API: the server answers every non-API path with the app, so /market or
 * /fleet/dev-12 survive a reload and can be shared as links.
 */
import { useEffect, useState } from 'preact/hooks';

const CHANGE = 'tenet:navigate';

export function navigate(path: string): void {
  if (path === location.pathname + location.search) return;
  history.pushState(null, '', path);
  dispatchEvent(new Event(CHANGE));
}

/** The current path and query, re-rendering on navigation and on the browser's back and forward. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const changed = () => setVersion((v) => v + 1);
    addEventListener('popstate', changed);
    addEventListener(CHANGE, changed);
    return () => {
      removeEventListener('popstate', changed);
      removeEventListener(CHANGE, changed);
    };
  }, []);
  return { path: location.pathname, query: new URLSearchParams(location.search) };
}

/** A click handler for in-app links: the browser's own handling for new tabs and modified clicks. */
export function followLink(event: MouseEvent, path: string): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
    return;
  event.preventDefault();
  navigate(path);
}
