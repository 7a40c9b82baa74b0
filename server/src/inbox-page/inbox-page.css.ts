/** The page's stylesheet, served as /inbox/inbox.css (the CSP allows no inline styles). */
export const INBOX_PAGE_CSS = `
:root { color-scheme: light; --ink: #1d2433; --muted: #667085; --line: #e4e7ec; --bg: #f6f7f9;
  --card: #fff; --accent: #2f5bea; --unread: #eef3ff; --danger: #c4320a; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
button { font: inherit; cursor: pointer; border-radius: 8px; border: 1px solid var(--accent); background: var(--accent);
  color: #fff; padding: 6px 12px; }
button.secondary, button.link { background: transparent; color: var(--accent); }
button.link { border: none; padding: 4px 6px; }
button:disabled { opacity: .5; cursor: default; }
.bar { position: sticky; top: 0; z-index: 2; display: flex; align-items: center; gap: 12px; padding: 10px 20px;
  background: var(--card); border-bottom: 1px solid var(--line); }
.brand { font-size: 18px; margin: 0; margin-right: auto; }
.user { color: var(--muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 40vw; }
.status { font-size: 12px; padding: 2px 8px; border-radius: 999px; background: #fef0c7; color: #93370d; }
.status[data-state="open"] { background: #d1fadf; color: #05603a; }
.status[data-state="closed"] { background: #fee4e2; color: #912018; }
.bell { position: relative; background: transparent; color: var(--ink); border: 1px solid var(--line); padding: 6px 8px; line-height: 0; }
.badge { position: absolute; top: -6px; right: -8px; min-width: 20px; padding: 2px 6px; border-radius: 999px;
  background: var(--danger); color: #fff; font-size: 12px; line-height: 16px; text-align: center; }
.content { max-width: 760px; margin: 0 auto; padding: 20px; }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 20px; }
.picker { display: grid; gap: 10px; }
.picker-row { display: flex; gap: 8px; }
.picker input { flex: 1; font: inherit; padding: 6px 10px; border: 1px solid var(--line); border-radius: 8px; }
.toolbar { display: flex; align-items: center; gap: 8px; margin-bottom: 12px; }
.summary { margin-right: auto; color: var(--muted); }
.list { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
.item { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 12px 14px;
  display: grid; grid-template-columns: 1fr auto; gap: 4px 12px; }
.item.unread { background: var(--unread); border-color: #c7d7fe; }
.item.unread .title::before { content: ""; display: inline-block; width: 8px; height: 8px; margin-right: 8px;
  border-radius: 50%; background: var(--accent); vertical-align: middle; }
.title { font-weight: 600; overflow-wrap: anywhere; }
.body { grid-column: 1; color: #344054; overflow-wrap: anywhere; white-space: pre-wrap; }
.meta { grid-column: 1; color: var(--muted); font-size: 13px; }
.actions { grid-column: 2; grid-row: 1 / span 3; display: flex; flex-direction: column; align-items: flex-end; gap: 2px; }
.empty, .error { color: var(--muted); text-align: center; padding: 24px; }
.error { color: var(--danger); }
.more { display: block; margin: 16px auto 0; }
.toasts { position: fixed; right: 16px; bottom: 16px; display: grid; gap: 8px; z-index: 3; max-width: min(360px, calc(100vw - 32px)); }
.toast { background: var(--ink); color: #fff; border-radius: 10px; padding: 10px 14px; box-shadow: 0 8px 24px rgba(16,24,40,.2); }
.toast strong { display: block; overflow-wrap: anywhere; }
.toast span { color: #d0d5dd; overflow-wrap: anywhere; }
.tabs { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 12px; }
.tab { background: var(--card); color: var(--ink); border-color: var(--line); border-radius: 999px; padding: 4px 12px; }
.tab.current { background: var(--ink); border-color: var(--ink); color: #fff; }
.tab .count { margin-left: 6px; font-size: 12px; color: var(--muted); }
.tab.current .count { color: #d0d5dd; }
.group { font-weight: 400; color: var(--muted); }
.choices { grid-column: 1; display: flex; flex-wrap: wrap; gap: 6px; margin-top: 4px; }
.choice { padding: 4px 10px; }
.choice.secondary { background: transparent; color: var(--accent); }
.choice.danger { background: var(--danger); border-color: var(--danger); }
.taken { font-size: 13px; color: #05603a; background: #d1fadf; border-radius: 999px; padding: 2px 10px; }
.snooze-menu { display: grid; justify-items: end; border: 1px solid var(--line); border-radius: 8px; background: var(--card);
  padding: 4px; margin-top: 2px; }
.snackbar { position: fixed; left: 50%; bottom: 16px; transform: translateX(-50%); z-index: 3; }
.snack { display: flex; align-items: center; gap: 12px; background: var(--ink); color: #fff; border-radius: 10px;
  padding: 8px 8px 8px 14px; box-shadow: 0 8px 24px rgba(16,24,40,.2); }
.snack .undo { color: #9db4ff; font-weight: 600; }
@media (max-width: 520px) {
  .bar { padding: 10px 12px; gap: 8px; }
  .content { padding: 12px; }
  .item { grid-template-columns: 1fr; }
  .actions { grid-column: 1; grid-row: auto; flex-direction: row; justify-content: flex-end; }
  .toolbar { flex-wrap: wrap; }
}
`;
