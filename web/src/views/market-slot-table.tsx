/** The market view's slot table: newest first; a row click selects the slot. */
import { formatEnergyKwh, formatPricePerKwh, formatTime } from '../format';
import type { MarketOverview } from '../market/market-slots';

export function MarketSlotTable(props: {
  overview: MarketOverview;
  selectedMs: number | undefined;
  onSelect: (slotStartMs: number) => void;
}) {
  const { overview, selectedMs } = props;
  const rows = [...overview.slots].reverse();
  return (
    <div class="table-scroll slot-table">
      <table class="data" data-testid="slot-table">
        <thead>
          <tr>
            <th>Slot</th>
            <th>Status</th>
            <th class="num">Price</th>
            <th class="num">Traded</th>
            <th>Mechanism</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((slot) => {
            const outcome = overview.outcomes.get(slot.startMs);
            const selected = slot.startMs === selectedMs;
            return (
              <tr
                key={slot.startMs}
                class={selected ? 'slot-row slot-selected' : 'slot-row'}
                aria-selected={selected}
                data-slot={slot.startMs}
                tabIndex={0}
                onClick={() => props.onSelect(slot.startMs)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' || event.key === ' ') {
                    event.preventDefault();
                    props.onSelect(slot.startMs);
                  }
                }}
              >
                <td>
                  {formatTime(slot.startMs)}–{formatTime(slot.endMs)}
                </td>
                <td>
                  <span class={`slot-status slot-${slot.status}`}>
                    {slot.settledAtMs !== null ? 'settled' : slot.status}
                  </span>
                </td>
                <td class="num">{formatPricePerKwh(outcome?.pricePerKwh, overview.currency)}</td>
                <td class="num">
                  {outcome === undefined ? '–' : formatEnergyKwh(outcome.tradedEnergyWh / 1000)}
                </td>
                <td>{outcome?.mechanism ?? overview.mechanism ?? '–'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
