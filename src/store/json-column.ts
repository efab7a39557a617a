/** JSON columns are TEXT on both dialects; these keep serialisation in one place. */

export function toJsonText(value: unknown): string {
  return JSON.stringify(value);
}

export function fromJsonText<T>(text: string): T {
  return JSON.parse(text) as T;
}
