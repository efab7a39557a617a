/**
 * Log in with the platform's OAuth client credentials. A running demo offers one login per role (to
 * loopback visitors only), so a visitor can see every stakeholder's view with one click.
 */
import { useEffect, useState } from 'preact/hooks';
import { logIn, type Session } from '../api/session';
import { ErrorNotice } from '../components/panel';

interface DemoLogin {
  readonly role: string;
  readonly label: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly participantId?: string;
}

export function LoginView({ onLoggedIn }: { onLoggedIn: (session: Session) => void }) {
  const [demoLogins, setDemoLogins] = useState<readonly DemoLogin[]>([]);
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    // Outside demo mode this is a 404 and the form alone is shown.
    fetch('/api/demo/logins')
      .then((response) =>
        response.ok ? (response.json() as Promise<{ logins: DemoLogin[] }>) : { logins: [] },
      )
      .then((body) => setDemoLogins(body.logins))
      .catch(() => setDemoLogins([]));
  }, []);

  const submit = async (id: string, secret: string) => {
    setBusy(true);
    setError(undefined);
    try {
      onLoggedIn(await logIn(id, secret));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <h1>tenet</h1>
      <p class="login-lead">
        The transactive energy platform: homes and their devices trade energy every few minutes while the grid
        operator keeps the feeder safe. Log in to see your part of it.
      </p>
      {demoLogins.length > 0 && (
        <section class="panel" data-testid="demo-logins">
          <h2>Demo: log in as</h2>
          <div class="demo-logins">
            {demoLogins.map((login) => (
              <button
                type="button"
                key={login.clientId}
                disabled={busy}
                data-role={login.role}
                onClick={() => void submit(login.clientId, login.clientSecret)}
              >
                <strong>{login.label}</strong>
                <span>{login.role}</span>
              </button>
            ))}
          </div>
        </section>
      )}
      <form
        class="panel login-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit(clientId.trim(), clientSecret);
        }}
      >
        <h2>Log in with your client credentials</h2>
        <label>
          Client id
          <input
            name="clientId"
            autoComplete="username"
            value={clientId}
            onInput={(e) => setClientId(e.currentTarget.value)}
            required
          />
        </label>
        <label>
          Client secret
          <input
            name="clientSecret"
            type="password"
            autoComplete="current-password"
            value={clientSecret}
            onInput={(e) => setClientSecret(e.currentTarget.value)}
            required
          />
        </label>
        <button type="submit" disabled={busy}>
          Log in
        </button>
        {error !== undefined && <ErrorNotice error={error} />}
        <p class="hint">
          The operator creates clients (<code>POST /api/clients</code>); the operator's own credentials are in{' '}
          <code>data/operator-credentials.json</code>.
        </p>
      </form>
    </main>
  );
}
