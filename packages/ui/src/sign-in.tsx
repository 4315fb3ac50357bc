/** The sign-in form: an API key, checked with the service before it is kept. */
import { useState } from "preact/hooks";
import { describeError } from "./errors.js";
import { signIn } from "./session.js";

export function SignIn() {
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(key.trim());
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">cvflow</h1>
        <p>Sign in with an API key of your workspace (<code>npm start</code> prints one).</p>
        <label>
          API key
          <input name="api-key" type="password" autoComplete="off" required value={key} onInput={(event) => setKey(event.currentTarget.value)} />
        </label>
        {error && <p role="alert" class="error">{error}</p>}
        <button type="submit" disabled={busy || !key.trim()}>Sign in</button>
      </form>
    </main>
  );
}
