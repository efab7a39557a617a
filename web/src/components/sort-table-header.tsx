/** A sortable column header: click to sort, again to reverse; the arrow and aria-sort say which way. */
import { nextSort, type SortState } from '../fleet/table-sort';

export function SortHeader<K extends string>(props: {
  column: K;
  label: string;
  sort: SortState<K>;
  onSort: (sort: SortState<K>) => void;
  numeric?: boolean;
  title?: string;
}) {
  const active = props.sort.column === props.column;
  return (
    <th
      class={props.numeric === true ? 'num sortable' : 'sortable'}
      aria-sort={active ? (props.sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
      title={props.title}
    >
      <button
        type="button"
        class="sort-button"
        data-column={props.column}
        onClick={() => props.onSort(nextSort(props.sort, props.column))}
      >
        {props.label}
        <span class="sort-arrow" aria-hidden="true">
          {active ? (props.sort.direction === 'asc' ? '▲' : '▼') : ''}
        </span>
      </button>
    </th>
  );
}
