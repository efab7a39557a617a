/** Reads a TMY3 file from disk and parses it (the I/O edge of the weather module). */
import { readFileSync } from 'node:fs';
import { TeError } from '../../core/errors.js';
import { parseTmy3, type Tmy3Data } from './tmy3-parser.js';

export function loadTmy3File(path: string): Tmy3Data {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const missing = (cause as { code?: string }).code === 'ENOENT';
    throw new TeError(
      missing ? 'TE_ERR_FILE_NOT_FOUND' : 'TE_ERR_FILE_READ',
      missing ? `weather file ${path} does not exist` : `weather file ${path} could not be read`,
      {
        path,
        hint: 'give the path of a TMY3 .tmy3/.csv file, e.g. scenarios/weather/AZ-Tucson_International_Ap.tmy3',
        cause,
      },
    );
  }
  return parseTmy3(text, path);
}
