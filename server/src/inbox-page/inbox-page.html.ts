const BELL_ICON =
  '<svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"><path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"/></svg>';

/** The page's markup. Everything user-provided is added later by the script, as text. */
export function inboxPageHtml(options: { developmentTokens: boolean }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Inbox</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/inbox/inbox.css">
<script src="/inbox/inbox.js" defer></script>
</head>
<body data-development-tokens="${options.developmentTokens}">
<header class="bar">
  <h1 class="brand">Inbox</h1>
  <span id="user" class="user"></span>
  <span id="status" class="status" data-state="connecting" title="Live connection">connecting</span>
  <button id="bell" class="bell" type="button" aria-label="Unread notifications: 0">${BELL_ICON}<span id="badge" class="badge" hidden>0</span></button>
</header>
<main class="content">
  <section id="sign-in" class="panel" hidden>
    <h2>Open an inbox</h2>
    <p id="sign-in-help">Open this page with <code>?token=&lt;jwt&gt;</code> to see that user's inbox.</p>
    <form id="picker" class="picker" hidden>
      <label for="picker-user">User id (development key only)</label>
      <div class="picker-row">
        <input id="picker-user" name="userId" autocomplete="off" placeholder="alice" required maxlength="100">
        <button type="submit">Open</button>
      </div>
      <div class="picker-row">
        <button type="button" class="quick" data-user="alice">alice</button>
        <button type="button" class="quick" data-user="bob">bob</button>
      </div>
    </form>
  </section>
  <section id="inbox" hidden>
    <nav id="tabs" class="tabs" role="tablist" aria-label="Lists"></nav>
    <div class="toolbar">
      <span id="summary" class="summary"></span>
      <button id="send-test" type="button" class="secondary" hidden>Send me a test</button>
      <button id="push" type="button" class="secondary" hidden>Notify me when this tab is closed</button>
      <button id="read-all" type="button">Mark all read</button>
    </div>
    <p id="error" class="error" role="alert" hidden></p>
    <ul id="list" class="list"></ul>
    <p id="empty" class="empty" hidden>Nothing here.</p>
    <button id="more" type="button" class="more" hidden>Load older</button>
  </section>
</main>
<div id="toasts" class="toasts" role="status" aria-live="polite"></div>
<div id="snackbar" class="snackbar" role="status" aria-live="polite"></div>
</body>
</html>
`;
}
