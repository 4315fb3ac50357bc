/** The sign-in form: an API key, checked with the service before it is kept. */
import { useState } from "preact/hooks";
import { signIn } from "./session.js";
import { useAction } from "./use-action.js";

export function SignIn() {
  const [key, setKey] = useState("");
  const { busy, error, run } = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void run(() => signIn(key.trim()));
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
