/**
 * The community's energy flows (hand-written SVG): grid, substation, the homes and each kind of
 * device, one arrow per flow pointing the way power goes, as wide as its power (square root) and
 * coloured import or export. Layout and arithmetic: community/flow-model.ts.
 */
import { formatPercent, formatPowerKw } from '../format';
import type { FlowArrow, FlowLayout, FlowNode, KindTotal } from '../community/flow-model';

const NODE_RADIUS = 28;
const CORE_NODES = new Set(['grid', 'substation', 'homes']);
const KIND_RADIUS = 20;

export function FlowDiagram({ layout, kinds }: { layout: FlowLayout; kinds: readonly KindTotal[] }) {
  const byKind = new Map(kinds.map((k) => [k.kind, k]));
  return (
    <svg
      class="flow-diagram"
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      role="img"
      aria-label="Energy flows between the grid, the substation, the homes and their devices"
      data-testid="flow-diagram"
    >
      {layout.arrows.map((arrow) => (
        <Arrow key={arrow.id} arrow={arrow} />
      ))}
      {layout.nodes.map((node) => (
        <Node key={node.id} node={node} total={byKind.get(node.id)} />
      ))}
    </svg>
  );
}

function Arrow({ arrow }: { arrow: FlowArrow }) {
  const radiusOf = (node: FlowNode) => (CORE_NODES.has(node.id) ? NODE_RADIUS : KIND_RADIUS);
  const { from, to } = arrow;
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = Math.max(1, Math.hypot(dx, dy));
  const ux = dx / length;
  const uy = dy / length;
  const start = { x: from.x + ux * (radiusOf(from) + 4), y: from.y + uy * (radiusOf(from) + 4) };
  const tip = { x: to.x - ux * (radiusOf(to) + 4), y: to.y - uy * (radiusOf(to) + 4) };
  // The head grows with the line so a wide flow still reads as an arrow, and a thin one still has a head.
  const headLength = Math.max(9, arrow.widthPx * 1.3);
  const headHalf = Math.max(5, arrow.widthPx * 0.95);
  const base = { x: tip.x - ux * headLength, y: tip.y - uy * headLength };
  const head = [
    `${tip.x},${tip.y}`,
    `${base.x - uy * headHalf},${base.y + ux * headHalf}`,
    `${base.x + uy * headHalf},${base.y - ux * headHalf}`,
  ].join(' ');
  const idle = arrow.tone === 'idle';
  // A device kind's label sits near its own node: by the homes the fan of arrows is too tight.
  const fan = arrow.id.startsWith('homes-');
  const hub = fan ? (from.id === 'homes' ? from : to) : from;
  const leaf = fan ? (from.id === 'homes' ? to : from) : to;
  const along = fan ? 0.62 : 0.5;
  const mid = fan
    ? { x: hub.x + (leaf.x - hub.x) * along, y: hub.y + (leaf.y - hub.y) * along }
    : { x: (start.x + base.x) / 2, y: (start.y + base.y) / 2 };
  return (
    <g class={`flow-arrow flow-${arrow.tone}`} data-testid={`flow-${arrow.id}`} data-tone={arrow.tone}>
      <line
        x1={start.x}
        y1={start.y}
        x2={idle ? tip.x : base.x}
        y2={idle ? tip.y : base.y}
        stroke-width={arrow.widthPx}
      />
      {!idle && <polygon points={head} />}
      <text x={mid.x} y={mid.y - arrow.widthPx / 2 - 5} text-anchor="middle" class="flow-label">
        {formatPowerKw(arrow.powerKw)}
      </text>
    </g>
  );
}

function Node({ node, total }: { node: FlowNode; total: KindTotal | undefined }) {
  // Device kinds sit in a column on the right: their labels go beside them, not below into the next.
  const beside = total !== undefined;
  const radius = beside ? KIND_RADIUS : NODE_RADIUS;
  return (
    <g class={`flow-node flow-node-${node.id}`} transform={`translate(${node.x} ${node.y})`}>
      <circle r={radius} />
      <text y={4} text-anchor="middle" class="flow-node-icon">
        {ICONS[node.id] ?? '•'}
      </text>
      <text
        x={beside ? radius + 8 : 0}
        y={beside ? -2 : radius + 16}
        text-anchor={beside ? 'start' : 'middle'}
        class="flow-node-label"
      >
        {node.label}
      </text>
      {total !== undefined && (
        <text x={radius + 8} y={13} text-anchor="start" class="flow-node-detail">
          {total.devices} {total.devices === 1 ? 'device' : 'devices'}
          {total.socPct === undefined ? '' : ` · ${formatPercent(total.socPct)} charged`}
        </text>
      )}
    </g>
  );
}

/** Short text marks rather than emoji, which render differently on every system. */
const ICONS: Readonly<Record<string, string>> = {
  grid: 'GRID',
  substation: 'SUB',
  homes: 'HOMES',
  pv: 'PV',
  battery: 'BAT',
  ev: 'EV',
  'water-heater': 'WH',
  hvac: 'AC',
  'base-load': 'LOAD',
};
