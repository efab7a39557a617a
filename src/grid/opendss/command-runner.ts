/**
 * Runs the commands of an OpenDSS script into the intermediate representation (`DssScript`): `New`,
 * `Edit`, `Class.name.property=value`, `~`/`more` continuations, `Redirect`/`Compile` (through the
 * resolver passed in, so no I/O happens here), `BusCoords`, `Set`, `Clear`, `Open`/`Close`, and the
 * commands that do not change the circuit, which are skipped with a warning.
 */
import { TeError } from '../../core/errors.js';
import {
  isSupportedClass,
  nextPositionalProperty,
  resolvePropertyName,
  SKIPPED_CLASSES,
  type DssClassName,
} from './element-classes.js';
import { dirnameOf, joinScriptPath } from './script-path.js';
import { emptyScript, type DssAssignment, type DssElement, type DssScript } from './script-ir.js';
import { formatLocation, tokenizeDss, type DssLocation, type DssToken } from './tokenizer.js';
import { parseNumberArray, parsePlainNumber, type DssValue } from './values.js';

/** Returns the text of a script file, or `undefined` when there is no such file. */
export type DssFileResolver = (path: string) => string | undefined;

const MAX_REDIRECT_DEPTH = 32;

/** Commands that neither change the circuit nor read it; skipped with a warning. */
const REPORTING_COMMANDS = new Set([
  'show', 'export', 'plot', 'sample', 'visualize', 'help', 'about', 'summary', 'dump', 'totals',
  'fileedit', 'var', 'get', 'cd', 'interpolate', 'guids', 'obfuscate', 'zsc', 'zsc10', 'zsc012', 'zscrefresh',
  'lossestimate', 'currents', 'powers', 'voltages', 'losses', 'phaselosses', 'cktlosses', 'nodelist',
  'busvoltages', 'relcalc', 'variable', 'seqcurrents', 'seqpowers', 'seqvoltages', 'nodediff', 'vdiff',
  'comparecases', 'yearlycurves', 'ysc', 'makebuslist', 'capacity', 'estimate',
]); // prettier-ignore

/** `Set` options that do not change the network the reader builds (solution and report settings). */
const IGNORED_SET_OPTIONS = new Set([
  'mode', 'controlmode', 'maxiterations', 'maxiter', 'maxcontroliter', 'tolerance', 'algorithm', 'trapezoidal',
  'datapath', 'editor', 'echo', 'casename', 'demandinterval', 'markercode', 'nodewidth', 'log', 'keeplist',
  'overloadreport', 'voltexceptionreport', 'normvminpu', 'normvmaxpu', 'emergvminpu', 'emergvmaxpu',
  'emergvmin', 'emergvmax', 'normvmin', 'normvmax', 'showexport', 'numallociterations', 'markswitches',
  'marktransformers', 'markcapacitors', 'markregulators', 'markpvsystems', 'markstorage', 'switchmarkercode',
  'transmarkercode', 'capmarkercode', 'regmarkercode', 'pvmarkercode', 'storemarkercode', 'daisysize',
  'terminal', 'bus', 'class', 'element', 'object', 'stepsize', 'h', 'sec', 'hour', 'time', 'number',
  'random', 'year', 'miles', 'genmult', 'ueweight', 'lossweight', 'ueregs', 'lossregs', 'cfactors',
  'addtype', 'allowduplicates', 'zonelock', 'basefrequency', 'defaultdaily', 'defaultyearly', 'loadshapeclass',
  'tracecontrol', 'genkw', 'genpf', 'maxcontroliterations', 'pricecurve', 'pricesignal', 'casenameu',
  'voltagebaseshift', 'keepbuses', 'sampleenergymeters', 'dssvisualizationtool', 'pvmarkersize',
  'storemarkersize', 'capmarkersize', 'regmarkersize', 'transmarkersize', 'switchmarkersize',
]); // prettier-ignore

const COMMANDS = [
  'new', 'edit', 'more', 'clear', 'clearall', 'redirect', 'compile', 'buscoords', 'set', 'calcvoltagebases', 'solve',
  'open', 'close', ...REPORTING_COMMANDS,
]; // prettier-ignore

interface Statement {
  readonly location: DssLocation;
  readonly tokens: DssToken[];
}

/** Runs a script and the files it redirects to. */
export function runDssScript(entryPath: string, resolve: DssFileResolver): DssScript {
  const text = resolve(entryPath);
  if (text === undefined) {
    throw new TeError('TE_ERR_FILE_NOT_FOUND', `no OpenDSS script at '${entryPath}'`, { path: entryPath });
  }
  const runner = new CommandRunner(resolve);
  runner.runFile(entryPath, text, 0);
  return runner.script;
}

/** Runs a script given as text (no `Redirect` unless `resolve` is passed). */
export function runDssText(
  text: string,
  file: string,
  resolve: DssFileResolver = () => undefined,
): DssScript {
  const runner = new CommandRunner(resolve);
  runner.runFile(file, text, 0);
  return runner.script;
}

class CommandRunner {
  script: DssScript = emptyScript();

  constructor(private readonly resolve: DssFileResolver) {}

  runFile(file: string, text: string, depth: number): void {
    const statements: Statement[] = [];
    for (const line of tokenizeDss(text, file)) {
      if (line.continuation) {
        const previous = statements.at(-1);
        if (previous === undefined) {
          throw new TeError('TE_ERR_DSS_SYNTAX', "a '~' or 'more' line with no command before it", {
            path: formatLocation(line.location),
            hint: 'start the command with New or Edit on the line above',
          });
        }
        previous.tokens.push(...line.tokens);
      } else {
        statements.push({ location: line.location, tokens: [...line.tokens] });
      }
    }
    for (const statement of statements) this.runStatement(statement, depth);
  }

  private runStatement(statement: Statement, depth: number): void {
    const [head, ...rest] = statement.tokens;
    if (head === undefined) return;
    if (head.name !== undefined && head.name.includes('.')) {
      // Class.name.property=value
      this.setPropertyByPath(head.name, head, statement.location);
      this.runEdit(head.name.slice(0, head.name.lastIndexOf('.')), rest, statement.location);
      return;
    }
    if (head.name !== undefined) {
      throw syntax(
        statement.location,
        `'${head.name}=' where a command was expected`,
        'start with a command',
      );
    }
    const verb = resolveCommand(head.value, statement.location);
    switch (verb) {
      case 'clear':
      case 'clearall':
        this.script = emptyScript();
        return;
      case 'new':
        this.runNew(rest, statement.location);
        return;
      case 'edit': {
        const [target, ...properties] = rest;
        if (target === undefined)
          throw syntax(statement.location, 'Edit needs an element', 'Edit Class.name');
        this.runEdit(objectName(target), properties, statement.location);
        return;
      }
      case 'more':
        throw syntax(statement.location, "'more' with no command before it", 'start with New or Edit');
      case 'redirect':
      case 'compile':
        this.runRedirect(rest, statement.location, depth);
        return;
      case 'buscoords':
        this.runBusCoords(rest, statement.location);
        return;
      case 'set':
        for (const token of rest) this.runSet(token, statement.location);
        return;
      case 'calcvoltagebases':
        this.script.calcVoltageBases = true;
        return;
      case 'solve':
        return;
      case 'open':
      case 'close':
        this.runSwitching(verb === 'open', rest, statement.location);
        return;
      default:
        this.script.warnings.push(
          `${formatLocation(statement.location)}: '${head.value}' skipped (it does not change the circuit)`,
        );
    }
  }

  private runNew(tokens: readonly DssToken[], location: DssLocation): void {
    const [target, ...properties] = tokens;
    const written =
      target === undefined
        ? undefined
        : target.name === undefined || target.name.toLowerCase() === 'object'
          ? target.value
          : undefined;
    if (target === undefined || written === undefined || !written.includes('.')) {
      throw syntax(
        location,
        'New needs Class.name first',
        'write New Line.L1 bus1=... (or New object=Line.L1)',
      );
    }
    const dot = written.indexOf('.');
    const className = written.slice(0, dot).toLowerCase();
    const displayName = written.slice(dot + 1);
    if (displayName.length === 0) throw syntax(location, `New ${written} has no name after the dot`, '');
    if (className === 'circuit') {
      this.newCircuit(displayName, properties, location);
      return;
    }
    if (SKIPPED_CLASSES.has(className)) {
      this.script.warnings.push(
        `${formatLocation(location)}: New ${written} skipped (${className} does not change the circuit)`,
      );
      return;
    }
    if (!isSupportedClass(className) || className === 'vsource') {
      throw new TeError(
        'TE_ERR_DSS_UNSUPPORTED',
        `element class '${className}' (New ${written}) is not modelled`,
        {
          path: formatLocation(location),
          hint: 'tenet reads Circuit, Linecode, Wiredata, Linegeometry, Line, Load, Transformer, Regcontrol and Capacitor',
        },
      );
    }
    const byName = this.classMap(className);
    const name = displayName.toLowerCase();
    if (byName.has(name)) {
      this.script.warnings.push(`${formatLocation(location)}: ${className}.${displayName} redefined`);
      byName.delete(name);
    }
    const element: DssElement = { className, name, displayName, definedAt: location, assignments: [] };
    byName.set(name, element);
    this.applyProperties(element, properties);
  }

  private newCircuit(displayName: string, properties: readonly DssToken[], location: DssLocation): void {
    this.script = emptyScript();
    this.script.circuitName = displayName;
    this.script.circuitDefinedAt = location;
    const source: DssElement = {
      className: 'vsource',
      name: 'source',
      displayName: 'source',
      definedAt: location,
      assignments: [],
    };
    this.classMap('vsource').set('source', source);
    this.applyProperties(source, properties);
  }

  private runEdit(target: string, properties: readonly DssToken[], location: DssLocation): void {
    const element = this.lookup(target, location);
    this.applyProperties(element, properties);
  }

  private setPropertyByPath(path: string, token: DssToken, location: DssLocation): void {
    const lastDot = path.lastIndexOf('.');
    const element = this.lookup(path.slice(0, lastDot), location);
    this.applyProperties(element, [{ ...token, name: path.slice(lastDot + 1) }]);
  }

  private lookup(target: string, location: DssLocation): DssElement {
    const dot = target.indexOf('.');
    const className = (dot < 0 ? '' : target.slice(0, dot)).toLowerCase();
    const name = target.slice(dot + 1).toLowerCase();
    const element = isSupportedClass(className) ? this.script.elements.get(className)?.get(name) : undefined;
    if (element === undefined) {
      throw new TeError('TE_ERR_DSS_REFERENCE', `no element '${target}' to edit`, {
        path: formatLocation(location),
        hint: 'define it with New first (names are Class.name)',
      });
    }
    return element;
  }

  private applyProperties(element: DssElement, tokens: readonly DssToken[]): void {
    let previous = element.assignments.at(-1)?.property;
    for (const token of tokens) {
      const value: DssValue = { text: token.value, enclosure: token.enclosure, location: token.location };
      const property =
        token.name === undefined
          ? nextPositionalProperty(element.className, previous)
          : resolvePropertyName(element.className, token.name);
      if (property === undefined) {
        const what =
          token.name === undefined
            ? `value '${token.value}' without a property name`
            : `property '${token.name}'`;
        throw new TeError('TE_ERR_DSS_UNSUPPORTED', `${what} is not known for ${element.className}`, {
          path: `${formatLocation(token.location)} ${element.className}.${element.displayName}`,
          hint: 'check the spelling against the OpenDSS documentation of the class',
        });
      }
      if (property === 'like') {
        element.assignments.push(...this.likeAssignments(element, value));
      } else {
        element.assignments.push({ property, value });
      }
      previous = property;
    }
  }

  private likeAssignments(element: DssElement, value: DssValue): DssAssignment[] {
    const model = this.script.elements.get(element.className)?.get(value.text.toLowerCase());
    if (model === undefined) {
      throw new TeError('TE_ERR_DSS_REFERENCE', `like=${value.text}: no ${element.className} of that name`, {
        path: formatLocation(value.location),
        hint: 'define the model element before the one that copies it',
      });
    }
    return [...model.assignments];
  }

  private runRedirect(tokens: readonly DssToken[], location: DssLocation, depth: number): void {
    const target = tokens[0]?.value;
    if (target === undefined || target.length === 0) throw syntax(location, 'Redirect needs a file name', '');
    if (depth >= MAX_REDIRECT_DEPTH) {
      throw syntax(
        location,
        `Redirect nested more than ${MAX_REDIRECT_DEPTH} deep`,
        'look for a redirect cycle',
      );
    }
    const path = joinScriptPath(dirnameOf(location.file), target);
    const text = this.resolve(path);
    if (text === undefined) {
      throw new TeError('TE_ERR_FILE_NOT_FOUND', `Redirect: no file '${target}' (looked for ${path})`, {
        path: formatLocation(location),
        hint: 'paths are relative to the script that names them',
      });
    }
    this.runFile(path, text, depth + 1);
  }

  private runBusCoords(tokens: readonly DssToken[], location: DssLocation): void {
    const target = tokens[0]?.value;
    if (target === undefined || target.length === 0)
      throw syntax(location, 'BusCoords needs a file name', '');
    const path = joinScriptPath(dirnameOf(location.file), target);
    const text = this.resolve(path);
    if (text === undefined) {
      throw new TeError('TE_ERR_FILE_NOT_FOUND', `BusCoords: no file '${target}' (looked for ${path})`, {
        path: formatLocation(location),
        hint: 'paths are relative to the script that names them',
      });
    }
    text.split(/\r\n|\n|\r/).forEach((rawLine, index) => {
      const line = rawLine.replace(/(!|\/\/).*$/, '').trim();
      if (line.length === 0) return;
      const [bus, xText, yText] = line.split(/[\s,]+/);
      const x = xText === undefined ? undefined : parsePlainNumber(xText);
      const y = yText === undefined ? undefined : parsePlainNumber(yText);
      if (bus === undefined || x === undefined || y === undefined) {
        throw syntax(
          { file: path, line: index + 1 },
          `'${line}' is not 'bus, x, y'`,
          'one bus per line: name, x, y',
        );
      }
      this.script.busCoordinates.set(bus.toLowerCase(), { x, y });
    });
  }

  private runSet(token: DssToken, location: DssLocation): void {
    if (token.name === undefined) throw syntax(location, `Set ${token.value}: expected option=value`, '');
    const option = token.name.toLowerCase();
    const value: DssValue = { text: token.value, enclosure: token.enclosure, location: token.location };
    if (option === 'voltagebases') {
      this.script.voltageBasesKv = parseNumberArray(value, 'voltagebases');
    } else if (option === 'defaultbasefrequency') {
      const frequency = parsePlainNumber(token.value);
      if (frequency === undefined || frequency <= 0) throw syntax(location, `frequency '${token.value}'`, '');
      this.script.baseFrequencyHz = frequency;
    } else if (option === 'earthmodel') {
      this.script.earthModel = token.value.toLowerCase();
    } else if (!IGNORED_SET_OPTIONS.has(option)) {
      throw new TeError('TE_ERR_DSS_UNSUPPORTED', `Set ${token.name} is not supported`, {
        path: formatLocation(location),
        hint: 'it may change the circuit (e.g. loadmult); remove it or apply it to the elements',
      });
    }
  }

  private runSwitching(open: boolean, tokens: readonly DssToken[], location: DssLocation): void {
    const target = tokens[0];
    if (target === undefined) throw syntax(location, `${open ? 'Open' : 'Close'} needs an element`, '');
    const written = objectName(target);
    const dot = written.indexOf('.');
    this.script.switching.push({
      className: written.slice(0, Math.max(dot, 0)).toLowerCase(),
      name: written.slice(dot + 1).toLowerCase(),
      open,
      location,
    });
  }

  private classMap(className: DssClassName): Map<string, DssElement> {
    let byName = this.script.elements.get(className);
    if (byName === undefined) {
      byName = new Map();
      this.script.elements.set(className, byName);
    }
    return byName;
  }
}

function objectName(token: DssToken): string {
  return token.value;
}

function resolveCommand(written: string, location: DssLocation): string {
  const lower = written.toLowerCase();
  if (COMMANDS.includes(lower)) return lower;
  const matches = COMMANDS.filter((command) => command.startsWith(lower));
  if (matches.length === 1 && matches[0] !== undefined) return matches[0];
  throw new TeError(
    'TE_ERR_DSS_UNSUPPORTED',
    matches.length > 1
      ? `command '${written}' is ambiguous (${matches.join(', ')})`
      : `command '${written}' is not supported`,
    { path: formatLocation(location), hint: 'write the full command name' },
  );
}

function syntax(location: DssLocation, message: string, hint: string): TeError {
  return new TeError('TE_ERR_DSS_SYNTAX', message, {
    path: formatLocation(location),
    ...(hint.length === 0 ? {} : { hint }),
  });
}
