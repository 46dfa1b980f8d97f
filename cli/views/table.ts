// Plain-text tables and the small words that fill them.

/** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
export const table = (headers: readonly string[], rows: readonly (readonly string[])[]): string => {
  const all = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all
    .map((r) =>
      headers
        .map((_, i) => (i === headers.length - 1 ? (r[i] ?? '') : (r[i] ?? '').padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
};

export const NONE = '-';

export const short = (commit: string) => commit.slice(0, 7);

/** 2026-11-20T18:00:00.000Z → 2026-11-20 18:00Z: minutes are enough for people. */
export const when = (iso: string): string => {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}Z` : iso;
};

/** With seconds, for timelines where several things happen in a minute. */
export const whenExact = (iso: string): string => {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}Z` : iso;
};

/** How far a time is from now, in the two largest units: "in 2d 23h", "5m ago". */
export const fromNow = (iso: string, now: Date): string => {
  const ms = Date.parse(iso) - now.getTime();
  if (Number.isNaN(ms)) return '';
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const parts: [number, string][] = [
    [Math.floor(minutes / 1440), 'd'],
    [Math.floor((minutes % 1440) / 60), 'h'],
    [minutes % 60, 'm'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  const text =
    first < 0
      ? 'now'
      : parts
          .slice(first, first + 2)
          .filter(([n]) => n > 0)
          .map(([n, u]) => `${n}${u}`)
          .join(' ');
  if (text === 'now') return text;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
};

export const lines = (...parts: (string | false | undefined)[]): string =>
  `${parts.filter((p): p is string => typeof p === 'string').join('\n')}\n`;
