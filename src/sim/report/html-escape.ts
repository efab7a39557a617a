/**
 * Escaping for text and attribute values in HTML and inline SVG. Scenario names, descriptions and
 * device kinds come from files a user may have been sent, so every one goes through here.
 */
const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ENTITIES[character] ?? character);
}
