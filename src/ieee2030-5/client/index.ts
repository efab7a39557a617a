/** The IEEE 2030.5 DER client: transport, discovery walk, control resolution, the 1547 inverter it drives. */
export {
  DEFAULT_SEP_RETRY_POLICY,
  SEP_MEDIA_TYPE,
  SepClient,
  SepStatusError,
  type SepClientOptions,
  type SepPostResult,
} from './sep-client.js';
export {
  pageHref,
  readAllPages,
  refreshSepPrograms,
  walkSepTree,
  type SepTree,
  type WalkedProgram,
  type WalkOptions,
} from './discovery.js';
export {
  DER_CONTROL_MODES,
  EVENT_STATUS,
  hasControlEnded,
  isControlActive,
  resolveDerControls,
  type ControlResolution,
  type DerControlMode,
  type ModeSource,
  type ProgramControls,
} from './control-resolution.js';
export {
  directedActivePowerKw,
  inverterDirective,
  RESPONSE_STATUS,
  type InverterDirective,
  type RefusedMode,
  type SiteConditions,
} from './inverter-mapping.js';
export { ControlResponses, type OwedResponse } from './control-responses.js';
export { SimulatedSepInverter, type InverterOutput, type SiteMeasurement } from './simulated-inverter.js';
export { SepTelemetry, type IntervalEnergy } from './telemetry.js';
export { DerReports } from './der-reports.js';
export {
  MAX_UNSENT_INTERVALS,
  SepInverterClient,
  type PollOutcome,
  type SepInverterClientOptions,
  type SepInverterClientStats,
} from './sep-inverter-client.js';
