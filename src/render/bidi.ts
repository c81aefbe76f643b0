// Bidirectional control characters in content (a commit title, a branch or a pusher's name) can make
// a notice read differently from what it says: U+202E turns "gnp.exe" into "exe.png" on screen
// (Trojan Source, CVE-2021-42574). Every rendered body and formatted_body goes through here, so each
// such character shows as a visible `[U+202E]` instead of acting on the text around it.

/** Embeddings and overrides, isolates, and the invisible direction marks (LRM, RLM, ALM). */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

export function neutraliseBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
}
