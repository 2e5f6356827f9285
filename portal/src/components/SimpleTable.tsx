/** A table of rows, one column per field: a header cell each, then one cell per row (the console's lists). */
import type { ComponentChildren } from 'preact';

export interface Column<Row> {
  header: string;
  cell: (row: Row) => ComponentChildren;
  /** The cells' class (`time` for timestamps). */
  class?: string;
}

export function SimpleTable<Row>(props: {
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string | undefined;
  /** `compact` for the denser tables of the Infrastructure blade. */
  compact?: boolean;
}) {
  return (
    <table class={props.compact ? 'grid compact' : 'grid'}>
      <thead>
        <tr>
          {props.columns.map((column) => (
            <th key={column.header} scope="col">
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={props.rowKey(row)}>
            {props.columns.map((column) => (
              <td key={column.header} class={column.class}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
