/** Column width as a terminal shows it: combining marks take no cell (scenario names may carry them). */
export function displayWidth(text: string): number {
  return [...text.normalize('NFC').replace(/\p{M}/gu, '')].length;
}
