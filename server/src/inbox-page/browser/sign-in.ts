// The sign-in panel: how to open the page with a token, and on the development key a user picker.
import { showConnection, ui } from './page-dom';

/** Where the tab keeps its token (sessionStorage). */
export const TOKEN_KEY = 'inbox.token';

export function showSignIn(developmentTokens: boolean, openInbox: (token: string) => void): void {
  ui.signIn.hidden = false;
  showConnection('closed');
  if (!developmentTokens) return;
  ui.signInHelp.textContent = 'Pick a user: the server runs on its development key and mints a token for the demo.';
  ui.picker.hidden = false;
  const openAs = async (userId: string) => {
    const response = await fetch('/dev/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId }),
    });
    if (!response.ok) {
      ui.signInHelp.textContent = `Could not open ${userId}: the server answered ${response.status}.`;
      return;
    }
    const { token } = (await response.json()) as { token: string };
    sessionStorage.setItem(TOKEN_KEY, token);
    ui.signIn.hidden = true;
    openInbox(token);
  };
  ui.picker.addEventListener('submit', (event) => {
    event.preventDefault();
    void openAs(ui.pickerUser.value.trim());
  });
  ui.picker.querySelectorAll<HTMLButtonElement>('button.quick').forEach((quick) => {
    quick.addEventListener('click', () => void openAs(quick.dataset.user ?? ''));
  });
}
