/**
 * What the device tells the server about its DER, where the server links it: DERCapability (the nameplate)
 * and DERSettings (what it is set to) once, DERStatus every poll. Reached from EndDevice's DERListLink; the
 * first DER of the list is this inverter.
 */
import { encodeDERCapability, encodeDERSettings, encodeDERStatus, decodeDERList, type DER } from '../der.js';
import type { EndDevice } from '../resources.js';
import type { DerControlMode } from './control-resolution.js';
import { pageHref } from './discovery.js';
import type { SepClient } from './sep-client.js';
import type { SimulatedSepInverter } from './simulated-inverter.js';

/** DERControlType bit positions (sep.xsd) of the modes the simulated inverter follows. */
const MODE_BITS: Readonly<Partial<Record<DerControlMode | 'charge' | 'discharge', number>>> = {
  charge: 0,
  discharge: 1,
  opModConnect: 2,
  opModEnergize: 3,
  opModFixedPFInjectW: 5,
  opModFixedW: 7,
  opModMaxLimW: 20,
  opModTargetW: 22,
  opModVoltVar: 23,
  opModVoltWatt: 24,
};
const DER_TYPE_PV = 4;
const DER_TYPE_PV_AND_STORAGE = 83;
/** DERStatus connectStatus bits: 0 connected, 1 available, 2 operating. */
const CONNECTED_AVAILABLE_OPERATING = '07';

/** Watts as value × 10^multiplier with the value in Int16 range, as sep.xsd's ActivePower needs. */
export function scaledWatts(watts: number): { value: number; multiplier: number } {
  let multiplier = 0;
  let value = Math.round(watts);
  while (Math.abs(value) > 32_767) {
    multiplier += 1;
    value = Math.round(watts / 10 ** multiplier);
  }
  return { value, multiplier };
}

function modesHex(canAbsorb: boolean): string {
  let bits = 0;
  for (const [mode, bit] of Object.entries(MODE_BITS)) {
    if (mode === 'charge' && !canAbsorb) continue;
    bits |= 1 << (bit as number);
  }
  return (bits >>> 0).toString(16).padStart(8, '0').toUpperCase();
}

export class DerReports {
  #der: DER | undefined;
  #nameplateSent = false;
  puts = 0;

  constructor(
    private readonly client: SepClient,
    private readonly inverter: SimulatedSepInverter,
  ) {}

  /** PUTs what the server links; does nothing when the EndDevice has no DERListLink. */
  async report(endDevice: EndDevice, nowS: number): Promise<void> {
    if (endDevice.DERListLink === undefined) return;
    if (this.#der === undefined) {
      const list = await this.client.get(pageHref(endDevice.DERListLink.href, 0, 1), decodeDERList);
      this.#der = list.DER[0];
      if (this.#der === undefined) return;
    }
    const der = this.#der;
    const { rating } = this.inverter.device;
    const canAbsorb = rating.pMaxAbsorbKw > 0;
    if (!this.#nameplateSent) {
      if (der.DERCapabilityLink !== undefined) {
        await this.client.put(
          der.DERCapabilityLink.href,
          encodeDERCapability({
            modesSupported: modesHex(canAbsorb),
            rtgMaxW: scaledWatts(rating.pRatedKw * 1000),
            rtgMaxVA: scaledWatts(rating.sRatedKva * 1000),
            ...(canAbsorb ? { rtgMaxChargeRateW: scaledWatts(rating.pMaxAbsorbKw * 1000) } : {}),
            type: canAbsorb ? DER_TYPE_PV_AND_STORAGE : DER_TYPE_PV,
          }),
        );
        this.puts += 1;
      }
      if (der.DERSettingsLink !== undefined) {
        await this.client.put(
          der.DERSettingsLink.href,
          encodeDERSettings({
            modesEnabled: modesHex(canAbsorb),
            setGradW: 0,
            setMaxW: scaledWatts(rating.pRatedKw * 1000),
            setMaxVA: scaledWatts(rating.sRatedKva * 1000),
            ...(canAbsorb ? { setMaxChargeRateW: scaledWatts(rating.pMaxAbsorbKw * 1000) } : {}),
            updatedTime: nowS,
          }),
        );
        this.puts += 1;
      }
      this.#nameplateSent = true;
    }
    if (der.DERStatusLink !== undefined) {
      const connected = this.inverter.directive.connected;
      await this.client.put(
        der.DERStatusLink.href,
        encodeDERStatus({
          genConnectStatus: { dateTime: nowS, value: connected ? CONNECTED_AVAILABLE_OPERATING : '00' },
          readingTime: nowS,
        }),
      );
      this.puts += 1;
    }
  }
}
