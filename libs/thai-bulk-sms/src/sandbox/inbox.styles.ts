/** The inbox page's stylesheet (served inline: the page's CSP allows inline styles only). */
export const INBOX_STYLES = `
  :root { --bg:#f4f6f9; --panel:#fff; --line:#e3e7ee; --ink:#1c2430; --muted:#6b7688; --brand:#0f6fde; --ok:#1f8f4e; --bad:#c93a3a; --wait:#b07400; }
  * { box-sizing: border-box; }
  body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans Thai",Sarabun,Garuda,sans-serif; color:var(--ink); background:var(--bg); }
  header { display:flex; align-items:center; gap:16px; padding:12px 24px; background:#14213d; color:#fff; }
  header h1 { font-size:17px; margin:0; font-weight:600; letter-spacing:.2px; }
  header .sub { color:#aab6cc; font-size:12px; }
  header .spacer { flex:1; }
  .pill { background:rgba(255,255,255,.1); border-radius:999px; padding:4px 12px; font-size:12.5px; white-space:nowrap; }
  .pill b { font-variant-numeric:tabular-nums; }
  .live { display:inline-block; width:8px; height:8px; border-radius:50%; background:#3ddc84; margin-right:6px; }
  .live.paused { background:#aab6cc; }
  button { font:inherit; border:1px solid var(--line); background:#fff; color:var(--ink); border-radius:6px; padding:5px 12px; cursor:pointer; }
  button:disabled { opacity:.45; cursor:default; }
  button.small { padding:2px 8px; font-size:12px; }
  header button { background:transparent; color:#fff; border-color:rgba(255,255,255,.3); }
  main { display:grid; grid-template-columns:minmax(0,1fr) 340px; gap:20px; padding:20px 24px; }
  section { background:var(--panel); border:1px solid var(--line); border-radius:10px; overflow:hidden; }
  section h2 { font-size:13px; text-transform:uppercase; letter-spacing:.6px; color:var(--muted); margin:0; padding:12px 16px; border-bottom:1px solid var(--line); display:flex; align-items:center; gap:10px; }
  section h2 .count { background:var(--bg); color:var(--ink); border-radius:999px; padding:1px 8px; font-size:12px; text-transform:none; letter-spacing:0; }
  section h2 input { margin-left:auto; font:inherit; text-transform:none; letter-spacing:0; padding:4px 8px; border:1px solid var(--line); border-radius:6px; width:240px; }
  table { width:100%; border-collapse:collapse; }
  th, td { text-align:left; padding:9px 12px; border-bottom:1px solid var(--line); vertical-align:top; }
  th { font-size:12px; color:var(--muted); font-weight:600; background:#fafbfd; }
  td.num { font-variant-numeric:tabular-nums; text-align:right; }
  td.time { color:var(--muted); white-space:nowrap; font-variant-numeric:tabular-nums; }
  td.phone { font-family:ui-monospace,SFMono-Regular,Menlo,monospace; white-space:nowrap; }
  td.text { white-space:pre-wrap; word-break:break-word; max-width:520px; }
  tr.msg { cursor:pointer; }
  tr.msg:hover, tr.msg:focus { background:#f7faff; outline:none; }
  .badge { display:inline-block; border-radius:4px; padding:1px 7px; font-size:12px; font-weight:600; }
  .s-accepted, .s-pending { background:#e8f0fe; color:var(--brand); }
  .s-scheduled { background:#fff4dc; color:var(--wait); }
  .s-delivered, .s-verified { background:#e3f5ea; color:var(--ok); }
  .s-failed, .s-expired { background:#fbe7e7; color:var(--bad); }
  .meta { color:var(--muted); font-size:12px; margin-top:3px; }
  .empty { padding:28px 16px; text-align:center; color:var(--muted); }
  .pager { display:flex; align-items:center; justify-content:flex-end; gap:10px; padding:10px 16px; color:var(--muted); font-size:12.5px; font-variant-numeric:tabular-nums; }
  .side { display:flex; flex-direction:column; gap:20px; }
  .otp { padding:12px 16px; border-bottom:1px solid var(--line); }
  .otp:last-child { border-bottom:0; }
  .otp .pin { font:600 24px/1.2 ui-monospace,SFMono-Regular,Menlo,monospace; letter-spacing:4px; }
  .otp .row { display:flex; align-items:center; justify-content:space-between; gap:8px; }
  .otp .token { font:12px ui-monospace,SFMono-Regular,Menlo,monospace; color:var(--ink); word-break:break-all; }
  .otp .actions { display:flex; gap:6px; margin-top:6px; }
  .kv { display:grid; grid-template-columns:1fr auto; gap:6px 12px; padding:12px 16px; }
  .kv .v { font-variant-numeric:tabular-nums; font-weight:600; text-align:right; }
  dialog { border:1px solid var(--line); border-radius:10px; padding:0; width:min(760px, 94vw); max-height:88vh; color:var(--ink); }
  dialog::backdrop { background:rgba(20,33,61,.35); }
  dialog .head { display:flex; align-items:center; gap:10px; padding:12px 16px; border-bottom:1px solid var(--line); }
  dialog .head h3 { margin:0; font-size:15px; flex:1; }
  dialog .body { padding:12px 16px 16px; overflow:auto; max-height:calc(88vh - 56px); }
  dialog h4 { margin:16px 0 8px; font-size:12px; text-transform:uppercase; letter-spacing:.6px; color:var(--muted); }
  .fields { display:grid; grid-template-columns:150px minmax(0,1fr); gap:6px 14px; margin:0; }
  .fields dt { color:var(--muted); }
  .fields dd { margin:0; white-space:pre-wrap; word-break:break-word; }
  .report { border:1px solid var(--line); border-radius:8px; padding:8px 12px; margin-bottom:8px; }
  .report .answer { font:12px ui-monospace,SFMono-Regular,Menlo,monospace; white-space:pre-wrap; word-break:break-all; background:#fafbfd; border-radius:4px; padding:4px 6px; margin-top:4px; }
  footer { color:var(--muted); font-size:12px; padding:0 24px 20px; }
  @media (max-width: 900px) { main { grid-template-columns:1fr; } }
`;
