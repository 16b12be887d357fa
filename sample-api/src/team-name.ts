// What makes a team name: one that reads the same on every scoreboard and fits the store's key.

/** Team names compare without case, Unicode width variants or extra spaces: "The  Owls" is "the owls". */
export function teamNameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * The name key is part of a DynamoDB sort key (`TEAMNAME#<key>`), which holds at most 1,024 bytes
 * of UTF-8. Normalising can make a name much longer than it looks: "ﷺ" alone becomes 33 bytes.
 */
export const TEAM_NAME_KEY_MAX_BYTES = 1024 - 'TEAMNAME#'.length;

// Characters that are never part of a name: controls (NUL, newlines), lone surrogates, and the
// bidirectional overrides, embeddings and isolates that can make a name display as another.
const FORBIDDEN = /[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069]/u;
// Something a reader sees: a letter, digit, punctuation or symbol that is not default-ignorable
// (zero-width spaces and joiners, Hangul fillers, variation selectors and the like).
const VISIBLE = /(?![\p{Default_Ignorable_Code_Point}])[\p{L}\p{N}\p{P}\p{S}]/u;

/** What is wrong with `name` as a team name, or undefined when it will do. */
export function teamNameProblem(name: string): string | undefined {
  const forbidden = FORBIDDEN.exec(name)?.[0];
  if (forbidden !== undefined)
    return `must not contain control or text-direction characters (found U+${codePoint(forbidden)})`;
  if (!VISIBLE.test(name)) return 'must contain a visible letter, digit or symbol';
  const bytes = Buffer.byteLength(teamNameKey(name), 'utf8');
  if (bytes > TEAM_NAME_KEY_MAX_BYTES)
    return `is too long once normalised: ${bytes} bytes of UTF-8, at most ${TEAM_NAME_KEY_MAX_BYTES}`;
  return undefined;
}

const codePoint = (char: string) => char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
