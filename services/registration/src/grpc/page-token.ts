/**
 * Opaque page tokens: the sort key of the last item of a page (time and id),
 * base64url-encoded. Readable by anyone who decodes them, which is fine:
 * they hold no data the page did not show.
 */
export interface Cursor {
  readonly time: Date;
  readonly id: string;
}

export function encodePageToken(cursor: Cursor | undefined): string {
  if (!cursor) return '';
  return Buffer.from(JSON.stringify({ t: cursor.time.toISOString(), i: cursor.id })).toString('base64url');
}

/** The cursor in a token; undefined when the token is not one of ours. */
export function decodePageToken(token: string): Cursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { t, i } = parsed as { t?: unknown; i?: unknown };
    if (typeof t !== 'string' || typeof i !== 'string' || i === '') return undefined;
    const time = new Date(t);
    return Number.isNaN(time.getTime()) ? undefined : { time, id: i };
  } catch {
    return undefined; // not base64/JSON: reported as an invalid page_token by the caller
  }
}
