/**
 * The simulated inverter's nameplate and settings: a 240 V single-phase PV inverter. Scale factors are
 * chosen to exercise the client's scaling both ways (PF in hundredths, volts in tenths, WMaxLimPct in
 * tenths of a percent, volt-var and volt-watt curve points in tenths of a percent).
 */

export const SIM_MODELS = [1, 701, 702, 703, 704, 705, 706] as const;

/** 705 publishes two curves of four points: curve 0 writable, curve 1 the device's fixed default. */
export const VOLT_VAR_COUNTS = { NCrv: 2, NPt: 4 } as const;
/** 706 publishes one writable volt-watt curve of two points. */
export const VOLT_WATT_COUNTS = { NCrv: 1, NPt: 2 } as const;

/** The count points of the models with repeating groups. */
export const CURVE_COUNTS: Readonly<Record<number, Readonly<Record<string, number>>>> = {
  705: VOLT_VAR_COUNTS,
  706: VOLT_WATT_COUNTS,
};

export interface InitialValue {
  readonly model: number;
  readonly path: string;
  /** In the point's units, or a symbol name for enum points. */
  readonly value: number | string;
}

export function initialValues(ratedW: number): InitialValue[] {
  const v = (model: number, path: string, value: number | string): InitialValue => ({ model, path, value });
  const curve = (i: number, readOnly: 'RW' | 'R'): InitialValue[] => [
    v(705, `Crv[${i}].ActPt`, 4),
    v(705, `Crv[${i}].DeptRef`, 'VAR_MAX_PCT'),
    v(705, `Crv[${i}].ReadOnly`, readOnly),
    ...[92, 98, 102, 108].map((volts, p) => v(705, `Crv[${i}].Pt[${p}].V`, volts)),
    ...[30, 0, 0, -30].map((vars, p) => v(705, `Crv[${i}].Pt[${p}].Var`, vars)),
  ];
  return [
    v(1, 'Mn', 'tenet'),
    v(1, 'Md', 'simulated PV inverter'),
    v(1, 'Vr', '1.0'),
    v(1, 'SN', 'SIM-0001'),
    v(1, 'DA', 1),
    // 701 scale factors; the measurements themselves are set by the inverter model.
    v(701, 'A_SF', -2),
    v(701, 'V_SF', -1),
    v(701, 'Hz_SF', -2),
    v(701, 'W_SF', 0),
    v(701, 'PF_SF', -2),
    v(701, 'VA_SF', 0),
    v(701, 'Var_SF', 0),
    v(701, 'TotWh_SF', 0),
    v(701, 'ACType', 'SINGLE_PHASE'),
    v(701, 'LNV', 240),
    v(701, 'Hz', 60),
    v(701, 'TotWhInj', 123456),
    // 702 nameplate (ratings, read-only) and settings (RW).
    v(702, 'W_SF', 0),
    v(702, 'VA_SF', 0),
    v(702, 'Var_SF', 0),
    v(702, 'V_SF', -1),
    v(702, 'PF_SF', -2),
    v(702, 'WMaxRtg', ratedW),
    v(702, 'VAMaxRtg', ratedW),
    v(702, 'VarMaxInjRtg', Math.round(ratedW * 0.44)),
    v(702, 'VarMaxAbsRtg', Math.round(ratedW * 0.44)),
    v(702, 'VNomRtg', 240),
    v(702, 'WMax', ratedW),
    v(702, 'VAMax', ratedW),
    v(702, 'VNom', 240),
    // 704 controls: no limit until one is written.
    v(704, 'WMaxLimPct_SF', -1),
    v(704, 'PF_SF', -2),
    v(704, 'WMaxLimPctEna', 'DISABLED'),
    v(704, 'WMaxLimPct', 100),
    // 705 volt-var.
    v(705, 'V_SF', -1),
    v(705, 'DeptRef_SF', -1),
    v(705, 'RspTms_SF', 0),
    v(705, 'Ena', 'DISABLED'),
    v(705, 'AdptCrvReq', 0),
    v(705, 'AdptCrvRslt', 'COMPLETED'),
    v(705, 'NPt', VOLT_VAR_COUNTS.NPt),
    v(705, 'NCrv', VOLT_VAR_COUNTS.NCrv),
    ...curve(0, 'RW'),
    ...curve(1, 'R'),
    // 703 enter service (IEEE 1547-2018 defaults: 0.917–1.05 p.u., 59.5–61.2 Hz, 300 s delay and ramp).
    v(703, 'V_SF', -1),
    v(703, 'Hz_SF', -2),
    v(703, 'ES', 'ENABLED'),
    v(703, 'ESVHi', 105),
    v(703, 'ESVLo', 91.7),
    v(703, 'ESHzHi', 61.2),
    v(703, 'ESHzLo', 59.5),
    v(703, 'ESDlyTms', 300),
    v(703, 'ESRmpTms', 300),
    // 706 volt-watt: full power to 106 % of nominal, none at 110 %.
    v(706, 'V_SF', -1),
    v(706, 'DeptRef_SF', -1),
    v(706, 'RspTms_SF', 0),
    v(706, 'Ena', 'DISABLED'),
    v(706, 'AdptCrvReq', 0),
    v(706, 'AdptCrvRslt', 'COMPLETED'),
    v(706, 'NPt', VOLT_WATT_COUNTS.NPt),
    v(706, 'NCrv', VOLT_WATT_COUNTS.NCrv),
    v(706, 'Crv[0].ActPt', 2),
    v(706, 'Crv[0].DeptRef', 'W_MAX_PCT'),
    v(706, 'Crv[0].ReadOnly', 'RW'),
    v(706, 'Crv[0].Pt[0].V', 106),
    v(706, 'Crv[0].Pt[0].W', 100),
    v(706, 'Crv[0].Pt[1].V', 110),
    v(706, 'Crv[0].Pt[1].W', 0),
  ];
}
