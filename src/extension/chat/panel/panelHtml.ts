/** The chat panel's HTML: a strict Content Security Policy, one nonce'd script, no inline anything. */
export interface PanelResources {
  /** The webview's cspSource: where local resources come from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce: string;
  lang: string;
  title: string;
}

export function panelHtml(resources: PanelResources): string {
  const csp = [
    "default-src 'none'",
    `style-src ${resources.cspSource}`,
    `img-src ${resources.cspSource} data:`,
    `font-src ${resources.cspSource}`,
    `script-src 'nonce-${resources.nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${escapeAttribute(resources.lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(resources.styleUri)}">
<title>${escapeText(resources.title)}</title>
</head>
<body>
<div id="app"></div>
<script nonce="${resources.nonce}" data-manual src="${escapeAttribute(resources.scriptUri)}"></script>
</body>
</html>`;
}

/** A nonce for the CSP: 32 characters from a cryptographic source. */
export function makeNonce(randomBytes: (size: number) => Uint8Array): string {
  return Buffer.from(randomBytes(24))
    .toString('base64')
    .replace(/[+/=]/g, (char) => ({ '+': 'A', '/': 'B', '=': '' })[char] ?? '');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}
