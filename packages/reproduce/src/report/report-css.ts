/** The report's inline stylesheet (no external fonts or resources). */
export const REPORT_CSS = `
body{font-family:Helvetica,Arial,sans-serif;color:#222;background:#fafafa;margin:0}
main{max-width:1150px;margin:0 auto;padding:16px 24px;background:#fff}
h1{margin-top:8px}h2{border-top:2px solid #ddd;padding-top:14px}
table{border-collapse:collapse;margin:6px 0 12px}td,th{border:1px solid #ddd;padding:3px 8px;vertical-align:top;text-align:left}
td.num{text-align:right;font-family:Menlo,Consolas,monospace;white-space:nowrap}
.pass{color:#fff;background:#1a7f37;padding:1px 6px;border-radius:3px;font-weight:bold}
.fail{color:#fff;background:#c62828;padding:1px 6px;border-radius:3px;font-weight:bold}
tr.bad td{background:#fdecea}.why{font-size:90%;color:#7a1f1f;margin-top:3px}
.ref{color:#555;font-size:90%}.figures{display:flex;flex-wrap:wrap;gap:12px}
figure{margin:0}figcaption{font-size:90%;color:#555;max-width:560px}
svg{max-width:100%;height:auto}pre{background:#f4f4f4;padding:8px;overflow:auto}
`;
